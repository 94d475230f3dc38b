package org.kmodel.vfs.spi;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.kmodel.vfs.FallocateMode;

/**
 * What a filesystem type or mounted instance declares about itself: fallocate modes, sizes, features.
 * Immutable; build with {@link #builder()} or derive with {@link #toBuilder()} (Jimfs's Configuration idiom).
 *
 * <p>{@link #fallocateModes()} holds complete mode values, e.g. {@code {0, KEEP_SIZE, PUNCH_HOLE|KEEP_SIZE}}
 * for tmpfs. The VFS refuses any other mode with EOPNOTSUPP <em>before</em> it touches the page cache, which
 * is the kernel's observable order (tmpfs checks the mode first, so mappings are untouched). A filesystem
 * may still refuse a listed mode for one inode (ext4 files without extents) with EOPNOTSUPP.
 */
public final class FsCapabilities {
    private final Set<Integer> fallocateModes;
    private final int blockSize;
    private final long maxBytes;
    private final boolean requiresDevice;
    private final boolean fiemap;
    private final boolean seekUnwrittenCachedAsData;
    private final long magic;

    private FsCapabilities(Builder b) {
        this.fallocateModes = Set.copyOf(b.fallocateModes);
        this.blockSize = b.blockSize;
        this.maxBytes = b.maxBytes;
        this.requiresDevice = b.requiresDevice;
        this.fiemap = b.fiemap;
        this.seekUnwrittenCachedAsData = b.seekUnwrittenCachedAsData;
        this.magic = b.magic;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.fallocateModes.addAll(fallocateModes);
        b.blockSize = blockSize;
        b.maxBytes = maxBytes;
        b.requiresDevice = requiresDevice;
        b.fiemap = fiemap;
        b.seekUnwrittenCachedAsData = seekUnwrittenCachedAsData;
        b.magic = magic;
        return b;
    }

    /** The complete mode values ({@link FallocateMode}) this filesystem implements. */
    public Set<Integer> fallocateModes() {
        return fallocateModes;
    }

    public boolean supports(int mode) {
        return fallocateModes.contains(mode);
    }

    /** s_blocksize: the allocation unit (ext4 bigalloc: report the cluster via the filesystem's own checks). */
    public int blockSize() {
        return blockSize;
    }

    /** s_maxbytes: {@code offset + len} above it is EFBIG in the VFS. */
    public long maxBytes() {
        return maxBytes;
    }

    /** FS_REQUIRES_DEV: /proc/filesystems shows no "nodev" for it. */
    public boolean requiresDevice() {
        return requiresDevice;
    }

    /** Whether FS_IOC_FIEMAP works (tmpfs: no, EOPNOTSUPP). */
    public boolean fiemap() {
        return fiemap;
    }

    /**
     * SEEK rule of docs/vfs.md (SEEK_DATA / SEEK_HOLE): true (ext4, xfs) if an unwritten extent whose page is uptodate in the page cache
     * counts as data for SEEK_DATA/SEEK_HOLE; false (tmpfs) if it stays a hole until written.
     */
    public boolean seekUnwrittenCachedAsData() {
        return seekUnwrittenCachedAsData;
    }

    /** The statfs f_type magic. */
    public long magic() {
        return magic;
    }

    @Override
    public String toString() {
        Set<String> modes = new TreeSet<>();
        fallocateModes.forEach(m -> modes.add(FallocateMode.toString(m)));
        return "FsCapabilities[modes=" + modes + ", blockSize=" + blockSize + ", maxBytes=" + maxBytes
                + ", requiresDevice=" + requiresDevice + ", fiemap=" + fiemap + "]";
    }

    /** Mutable builder; defaults: no fallocate, 4096-byte blocks, s_maxbytes 2^63-1, nodev, no fiemap. */
    public static final class Builder {
        private final Set<Integer> fallocateModes = new TreeSet<>();
        private int blockSize = 4096;
        private long maxBytes = Long.MAX_VALUE;
        private boolean requiresDevice;
        private boolean fiemap;
        private boolean seekUnwrittenCachedAsData;
        private long magic;

        private Builder() {}

        public Builder fallocateModes(int... modes) {
            for (int m : modes) {
                fallocateModes.add(m);
            }
            return this;
        }

        public Builder clearFallocateModes() {
            fallocateModes.clear();
            return this;
        }

        public Builder blockSize(int size) {
            if (size <= 0 || Integer.bitCount(size) != 1) {
                throw new IllegalArgumentException("block size must be a power of two: " + size);
            }
            this.blockSize = size;
            return this;
        }

        public Builder maxBytes(long bytes) {
            this.maxBytes = bytes;
            return this;
        }

        public Builder requiresDevice(boolean value) {
            this.requiresDevice = value;
            return this;
        }

        public Builder fiemap(boolean value) {
            this.fiemap = value;
            return this;
        }

        public Builder seekUnwrittenCachedAsData(boolean value) {
            this.seekUnwrittenCachedAsData = value;
            return this;
        }

        public Builder magic(long value) {
            this.magic = value;
            return this;
        }

        public FsCapabilities build() {
            return new FsCapabilities(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FsCapabilities c
                && c.fallocateModes.equals(fallocateModes)
                && c.blockSize == blockSize
                && c.maxBytes == maxBytes
                && c.requiresDevice == requiresDevice
                && c.fiemap == fiemap
                && c.seekUnwrittenCachedAsData == seekUnwrittenCachedAsData
                && c.magic == magic;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fallocateModes, blockSize, maxBytes, requiresDevice, fiemap, magic);
    }
}
