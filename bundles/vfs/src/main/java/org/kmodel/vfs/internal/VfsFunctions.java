package org.kmodel.vfs.internal;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.kmodel.livepatch.KernelFunction;

/**
 * The VFS's patchable function {@code vfs_fallocate} (fs/open.c), see {@link KernelFunction}. Erased type:
 * {@code (Object core, Object inode, int fileFlags, int mode, long offset, long len) void}.
 */
final class VfsFunctions {
    static final KernelFunction VFS_FALLOCATE;
    private static final MethodHandle VFS_FALLOCATE_CALL;

    static {
        try {
            VFS_FALLOCATE = KernelFunction.define(
                    KernelFunction.VMLINUX,
                    "vfs_fallocate",
                    MethodHandles.lookup()
                            .findStatic(
                                    VfsFallocate.class,
                                    "fallocate",
                                    methodType(
                                            void.class,
                                            VfsCore.class,
                                            VfsInode.class,
                                            int.class,
                                            int.class,
                                            long.class,
                                            long.class)));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        VFS_FALLOCATE_CALL = VFS_FALLOCATE.invoker();
    }

    private VfsFunctions() {}

    static void vfsFallocate(VfsCore core, VfsInode inode, int fileFlags, int mode, long offset, long len) {
        try {
            VFS_FALLOCATE_CALL.invokeExact(core, inode, fileFlags, mode, offset, len);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }
}
