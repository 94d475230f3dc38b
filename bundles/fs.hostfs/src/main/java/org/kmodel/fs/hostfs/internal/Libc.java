package org.kmodel.fs.hostfs.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The host's libc (x86-64 Linux, glibc 2.33+ exports stat/lstat/mknod directly): what UML's hostfs_user.c
 * calls on the host side of each operation.
 */
public interface Libc extends Library {
    /** Loaded lazily so that the bundle resolves even where no native libc can be loaded. */
    static Libc get() {
        return Holder.C;
    }

    /** Lazy holder. */
    final class Holder {
        static final Libc C = Native.load("c", Libc.class);

        private Holder() {}
    }

    int O_RDONLY = 0;
    int O_RDWR = 2;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NOFOLLOW = 0400000;
    int SEEK_DATA = 3;
    int SEEK_HOLE = 4;
    int AT_FDCWD = -100;
    /** _IOWR('f', 11, struct fiemap). */
    long FS_IOC_FIEMAP = 0xC020660BL;

    int open(String path, int flags, int mode);

    int close(int fd);

    long pread(int fd, byte[] buf, long count, long offset);

    long pwrite(int fd, byte[] buf, long count, long offset);

    int ftruncate(int fd, long length);

    int truncate(String path, long length);

    int fallocate(int fd, int mode, long offset, long len);

    long lseek(int fd, long offset, int whence);

    int lstat(String path, byte[] statbuf);

    int fsync(int fd);

    int mkdir(String path, int mode);

    int rmdir(String path);

    int unlink(String path);

    int rename(String from, String to);

    int symlink(String target, String linkpath);

    int link(String from, String to);

    long readlink(String path, byte[] buf, long size);

    int chmod(String path, int mode);

    int lchown(String path, int uid, int gid);

    int mknod(String path, int mode, long dev);

    int ioctl(int fd, long request, byte[] arg);
}
