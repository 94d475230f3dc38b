package org.kmodel.vfs;

/**
 * open(2) flags (include/uapi/asm-generic/fcntl.h), x86-64 values. The access mode is
 * {@code flags & O_ACCMODE}; an {@link #O_PATH} descriptor allows no I/O at all (every I/O call,
 * fallocate included, gives EBADF).
 */
public final class OpenFlags {
    public static final int O_ACCMODE = 0x3;
    public static final int O_RDONLY = 0x0;
    public static final int O_WRONLY = 0x1;
    public static final int O_RDWR = 0x2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_NOCTTY = 0x100;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_NOFOLLOW = 0x20000;
    public static final int O_PATH = 0x200000;

    private OpenFlags() {}

    /** FMODE_READ: the description may read. */
    public static boolean readable(int flags) {
        int acc = flags & O_ACCMODE;
        return (flags & O_PATH) == 0 && (acc == O_RDONLY || acc == O_RDWR);
    }

    /** FMODE_WRITE: the description may write (and fallocate). */
    public static boolean writable(int flags) {
        int acc = flags & O_ACCMODE;
        return (flags & O_PATH) == 0 && (acc == O_WRONLY || acc == O_RDWR);
    }
}
