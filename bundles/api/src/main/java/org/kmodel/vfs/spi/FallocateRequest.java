package org.kmodel.vfs.spi;

import org.kmodel.vfs.FallocateMode;

/**
 * One fallocate call as the filesystem sees it, after {@code vfs_fallocate}'s checks passed:
 * {@code offset >= 0}, {@code length > 0}, {@code offset + length <= s_maxbytes} without overflow, the mode is
 * well formed (allocate, KEEP_SIZE, PUNCH_HOLE|KEEP_SIZE, COLLAPSE_RANGE, INSERT_RANGE, ZERO_RANGE[|KEEP_SIZE],
 * UNSHARE_RANGE[|KEEP_SIZE] or WRITE_ZEROES) and listed in the instance's {@link FsCapabilities}, the inode is
 * a regular file opened for writing, neither immutable nor (for modes other than allocate) append-only, and
 * not an active swap file.
 *
 * @param size the inode's current size as the VFS sees it (i_size), for EOF rules
 * @param rlimitFsize RLIMIT_FSIZE of the caller, {@link Long#MAX_VALUE} for unlimited (tmpfs checks it even
 *        with KEEP_SIZE, ext4 and xfs only when the size grows; xfs also for INSERT)
 */
public record FallocateRequest(int mode, long offset, long length, long size, long rlimitFsize) {

    /** The mode without KEEP_SIZE. */
    public int operation() {
        return FallocateMode.operation(mode);
    }

    public boolean keepSize() {
        return FallocateMode.keepSize(mode);
    }

    public long end() {
        return offset + length;
    }
}
