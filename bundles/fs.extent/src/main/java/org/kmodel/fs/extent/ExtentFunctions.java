package org.kmodel.fs.extent;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.vfs.FallocateMode;

/**
 * The patchable functions of the extent filesystems (see {@link KernelFunction}): {@code ext4_fallocate}
 * and {@code ext4_collapse_range} (fs/ext4/extents.c), {@code xfs_file_fallocate} (fs/xfs/xfs_file.c) and
 * {@code xfs_collapse_file_space} (fs/xfs/xfs_bmap_util.c), nested as in the kernel: the fallocate entry
 * calls the collapse function for COLLAPSE_RANGE. This package is embedded in fs.ext4 and fs.xfs, so each
 * bundle defines its own sites under the same names; a patch redirects both.
 * Erased type: {@code (Object fallocator, int mode, long offset, long len, long fsizeLimit) void}.
 */
public final class ExtentFunctions {
    private static final MethodHandle EXT4_FALLOCATE;
    private static final MethodHandle EXT4_COLLAPSE_RANGE;
    private static final MethodHandle XFS_FILE_FALLOCATE;
    private static final MethodHandle XFS_COLLAPSE_FILE_SPACE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            var t = methodType(void.class, Fallocator.class, int.class, long.class, long.class, long.class);
            EXT4_FALLOCATE = define(l, "ext4_fallocate", "ext4Fallocate", t);
            EXT4_COLLAPSE_RANGE = define(l, "ext4_collapse_range", "collapse", t);
            XFS_FILE_FALLOCATE = define(l, "xfs_file_fallocate", "xfsFileFallocate", t);
            XFS_COLLAPSE_FILE_SPACE = define(l, "xfs_collapse_file_space", "collapse", t);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ExtentFunctions() {}

    private static MethodHandle define(
            MethodHandles.Lookup l, String name, String method, java.lang.invoke.MethodType t)
            throws ReflectiveOperationException {
        return KernelFunction.define(KernelFunction.VMLINUX, name, l.findStatic(ExtentFunctions.class, method, t))
                .invoker();
    }

    /** The filesystem's ->fallocate for {@code type} ("ext4" or "xfs"), through the patchable sites. */
    public static void fallocate(String type, Fallocator f, int mode, long offset, long len, long fsizeLimit) {
        try {
            if ("xfs".equals(type)) {
                XFS_FILE_FALLOCATE.invokeExact(f, mode, offset, len, fsizeLimit);
            } else {
                EXT4_FALLOCATE.invokeExact(f, mode, offset, len, fsizeLimit);
            }
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }

    private static boolean collapse(int mode) {
        return (mode & ~FallocateMode.KEEP_SIZE) == FallocateMode.COLLAPSE_RANGE;
    }

    static void ext4Fallocate(Fallocator f, int mode, long offset, long len, long fsizeLimit) throws Throwable {
        if (collapse(mode)) {
            EXT4_COLLAPSE_RANGE.invokeExact(f, mode, offset, len, fsizeLimit);
        } else {
            f.fallocate(mode, offset, len, fsizeLimit);
        }
    }

    static void xfsFileFallocate(Fallocator f, int mode, long offset, long len, long fsizeLimit) throws Throwable {
        if (collapse(mode)) {
            XFS_COLLAPSE_FILE_SPACE.invokeExact(f, mode, offset, len, fsizeLimit);
        } else {
            f.fallocate(mode, offset, len, fsizeLimit);
        }
    }

    /** ext4_collapse_range / xfs_collapse_file_space: the shift itself. */
    static void collapse(Fallocator f, int mode, long offset, long len, long fsizeLimit) {
        f.fallocate(mode, offset, len, fsizeLimit);
    }
}
