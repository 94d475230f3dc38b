package org.kmodel.vfs;

/**
 * One extent of FS_IOC_FIEMAP ({@code struct fiemap_extent}, include/uapi/linux/fiemap.h): bytes
 * {@code [logical, logical + length)} of the file live at {@code physical} on the device. Extents past
 * EOF (KEEP_SIZE preallocation) are listed; the last one carries {@link #LAST}. Holes are not listed.
 */
public record FiemapExtent(long logical, long physical, long length, int flags) {
    public static final int LAST = 0x00000001;
    public static final int UNKNOWN = 0x00000002;
    public static final int DELALLOC = 0x00000004;
    public static final int ENCODED = 0x00000008;
    public static final int DATA_ENCRYPTED = 0x00000080;
    public static final int NOT_ALIGNED = 0x00000100;
    public static final int DATA_INLINE = 0x00000200;
    public static final int DATA_TAIL = 0x00000400;
    /** Allocated but never written: reads as zeros (the stale-data guard of fallocate). */
    public static final int UNWRITTEN = 0x00000800;

    public static final int MERGED = 0x00001000;
    public static final int SHARED = 0x00002000;

    public long end() {
        return logical + length;
    }

    public boolean unwritten() {
        return (flags & UNWRITTEN) != 0;
    }

    public FiemapExtent withFlags(int newFlags) {
        return new FiemapExtent(logical, physical, length, newFlags);
    }
}
