package org.kmodel.vfs.spi;

/**
 * The attributes of an inode as the filesystem holds them (the fields of {@code struct inode} that
 * getattr reports). Times are ns since the epoch; {@code blocks} counts 512-byte units of allocated space
 * including unwritten and post-EOF blocks; {@code flags} are {@link org.kmodel.vfs.InodeFlags}.
 *
 * @param mode the full st_mode including the S_IFxxx type bits
 */
public record InodeAttr(
        int mode,
        int nlink,
        int uid,
        int gid,
        long rdev,
        long size,
        long blocks,
        long atime,
        long mtime,
        long ctime,
        int flags) {}
