package org.kmodel.fs.extent.disk;

import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointRegistry;
import org.kmodel.vfs.FallocateMode;

/**
 * The fallocate tracepoints of ext4 (include/trace/events/ext4.h: ext4_fallocate_enter/exit in
 * fs/ext4/extents.c ext4_fallocate, ext4_collapse_range at the start of ext4_collapse_range) and xfs
 * (fs/xfs/xfs_trace.h: xfs_alloc/free/zero/collapse_file_space at the start of those functions in
 * fs/xfs/xfs_bmap_util.c). Looked up once per filesystem type when the registry binds, never per call; each
 * site asks {@code enabled()} first, so with tracing off nothing is formatted or boxed.
 */
public final class FsTrace {
    public static final FsTrace NONE = new FsTrace(null, null, null, null, null, null, null);

    private final Tracepoint ext4Enter;
    private final Tracepoint ext4Exit;
    private final Tracepoint ext4Collapse;
    private final Tracepoint xfsAlloc;
    private final Tracepoint xfsFree;
    private final Tracepoint xfsZero;
    private final Tracepoint xfsCollapse;

    private FsTrace(
            Tracepoint ext4Enter,
            Tracepoint ext4Exit,
            Tracepoint ext4Collapse,
            Tracepoint xfsAlloc,
            Tracepoint xfsFree,
            Tracepoint xfsZero,
            Tracepoint xfsCollapse) {
        this.ext4Enter = ext4Enter;
        this.ext4Exit = ext4Exit;
        this.ext4Collapse = ext4Collapse;
        this.xfsAlloc = xfsAlloc;
        this.xfsFree = xfsFree;
        this.xfsZero = xfsZero;
        this.xfsCollapse = xfsCollapse;
    }

    /** The events of filesystem {@code type} ("ext4" or "xfs") in {@code registry}; {@link #NONE} for null. */
    public static FsTrace of(TracepointRegistry registry, String type) {
        if (registry == null) {
            return NONE;
        }
        if ("ext4".equals(type)) {
            return new FsTrace(
                    registry.find("ext4", "ext4_fallocate_enter"),
                    registry.find("ext4", "ext4_fallocate_exit"),
                    registry.find("ext4", "ext4_collapse_range"),
                    null,
                    null,
                    null,
                    null);
        }
        if ("xfs".equals(type)) {
            return new FsTrace(
                    null,
                    null,
                    null,
                    registry.find("xfs", "xfs_alloc_file_space"),
                    registry.find("xfs", "xfs_free_file_space"),
                    registry.find("xfs", "xfs_zero_file_space"),
                    registry.find("xfs", "xfs_collapse_file_space"));
        }
        return NONE;
    }

    private static boolean on(Tracepoint t) {
        return t != null && t.enabled();
    }

    private static boolean allocates(int mode) {
        return (mode & ~FallocateMode.KEEP_SIZE) == 0;
    }

    /**
     * The events fired as the filesystem starts {@code mode} (after the VFS and the filesystem's own checks
     * passed). ext4 3.15: ext4_fallocate hands punch, collapse and zero to their helpers before
     * trace_ext4_fallocate_enter, so enter fires only for allocation; ext4_collapse_range traces first.
     * xfs 3.15: xfs_file_fallocate calls xfs_alloc_file_space (mode 0/KEEP_SIZE), xfs_free_file_space
     * (punch), xfs_zero_file_space (which allocates the page-aligned interior through xfs_alloc_file_space)
     * and xfs_collapse_file_space (which frees the range through xfs_free_file_space).
     */
    void start(long dev, long ino, int mode, long offset, long len, int blockSize) {
        int op = mode & ~FallocateMode.KEEP_SIZE;
        if (allocates(mode) && on(ext4Enter)) {
            ext4Enter.fire(ext4Dev(dev), ino, offset, len, modeName(mode));
        }
        if (op == FallocateMode.COLLAPSE_RANGE && on(ext4Collapse)) {
            ext4Collapse.fire(ext4Dev(dev), ino, offset, len);
        }
        if (op == FallocateMode.COLLAPSE_RANGE && on(xfsCollapse)) {
            xfsCollapse.fire(xfsDev(dev), ino);
        }
        if (op == FallocateMode.ZERO_RANGE && on(xfsZero)) {
            xfsZero.fire(xfsDev(dev), ino);
        }
        if ((op == FallocateMode.PUNCH_HOLE || op == FallocateMode.COLLAPSE_RANGE) && on(xfsFree)) {
            xfsFree.fire(xfsDev(dev), ino);
        }
        if ((allocates(mode) || op == FallocateMode.ZERO_RANGE && hasInterior(offset, len, blockSize))
                && on(xfsAlloc)) {
            xfsAlloc.fire(xfsDev(dev), ino);
        }
    }

    /** ext4_fallocate_exit at the end of an allocation: pos = offset, blocks = max_blocks, ret 0 or -errno. */
    void end(long dev, long ino, int mode, long offset, long len, int blockSize, int ret) {
        if (allocates(mode) && on(ext4Exit)) {
            long lblk = offset / blockSize;
            long maxBlocks = (offset + len + blockSize - 1) / blockSize - lblk;
            ext4Exit.fire(ext4Dev(dev), ino, offset, (int) maxBlocks, ret);
        }
    }

    /**
     * A call the filesystem refused in its checks (ret = -errno). ext4 3.15: ext4_collapse_range traces before
     * its alignment and EOF checks; ext4_fallocate traces enter before inode_newsize_ok (EFBIG) and exit after.
     * xfs_file_fallocate checks before it calls any traced helper, so xfs fires nothing.
     */
    void checkFailed(long dev, long ino, int mode, long offset, long len, int blockSize, int ret) {
        if ((mode & ~FallocateMode.KEEP_SIZE) == FallocateMode.COLLAPSE_RANGE && on(ext4Collapse)) {
            ext4Collapse.fire(ext4Dev(dev), ino, offset, len);
        }
        if (allocates(mode)) {
            if (on(ext4Enter)) {
                ext4Enter.fire(ext4Dev(dev), ino, offset, len, modeName(mode));
            }
            end(dev, ino, mode, offset, len, blockSize, ret);
        }
    }

    /** xfs_zero_file_space allocates only when the range holds a whole page-granular (and block) unit. */
    private static boolean hasInterior(long offset, long len, int blockSize) {
        long g = Math.max(blockSize, DiskInode.PAGE_SIZE);
        long start = (offset + g - 1) / g * g;
        long end = (offset + len) / g * g;
        return start < end - 1;
    }

    /** show_falloc_mode (include/trace/events/ext4.h): the flag names joined by '|', empty for mode 0. */
    static String modeName(int mode) {
        StringBuilder b = new StringBuilder();
        flag(b, mode, FallocateMode.KEEP_SIZE, "FALLOC_FL_KEEP_SIZE");
        flag(b, mode, FallocateMode.PUNCH_HOLE, "FALLOC_FL_PUNCH_HOLE");
        flag(b, mode, 0x04, "FALLOC_FL_NO_HIDE_STALE");
        flag(b, mode, FallocateMode.COLLAPSE_RANGE, "FALLOC_FL_COLLAPSE_RANGE");
        flag(b, mode, FallocateMode.ZERO_RANGE, "FALLOC_FL_ZERO_RANGE");
        return b.toString();
    }

    private static void flag(StringBuilder b, int mode, int bit, String name) {
        if ((mode & bit) != 0) {
            b.append(b.length() == 0 ? "" : "|").append(name);
        }
    }

    /** ext4's "dev %d,%d" of MAJOR/MINOR of the st_dev the VFS gave this mount. */
    static String ext4Dev(long dev) {
        return major(dev) + "," + minor(dev);
    }

    /** xfs's "dev %d:%d". */
    static String xfsDev(long dev) {
        return major(dev) + ":" + minor(dev);
    }

    /** glibc's major()/minor() (new_decode_dev), as the VFS's own trace decodes st_dev. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }
}
