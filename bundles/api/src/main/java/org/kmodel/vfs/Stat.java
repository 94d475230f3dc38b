package org.kmodel.vfs;

/**
 * What stat(2) returns ({@code struct stat}, include/uapi/asm-generic/stat.h). Times are nanoseconds
 * since the epoch. {@code blocks} counts 512-byte units of allocated space, including unwritten
 * (preallocated) blocks and blocks past EOF; {@code blksize} is the preferred I/O size (the block size).
 *
 * @param dev the device of the filesystem (its mount's minor number in the model)
 * @param flags the chattr flags ({@link InodeFlags}); not part of struct stat but what lsattr shows
 */
public record Stat(
        long dev,
        long ino,
        int mode,
        int nlink,
        int uid,
        int gid,
        long rdev,
        long size,
        int blksize,
        long blocks,
        long atime,
        long mtime,
        long ctime,
        int flags) {

    public FileType type() {
        return FileType.of(mode);
    }

    /** The permission and set-id bits ({@code mode & 07777}). */
    public int permissions() {
        return mode & 07777;
    }

    public boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    public boolean isRegular() {
        return type() == FileType.REGULAR;
    }
}
