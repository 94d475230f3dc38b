package org.kmodel.fs.extent.disk;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The libc calls the differential test makes on the host kernel (x86-64 Linux). */
interface HostLibc extends Library {
    HostLibc C = Native.load("c", HostLibc.class);

    int O_RDWR = 2;
    int O_CREAT = 0100;
    int O_TRUNC = 01000;
    int SEEK_DATA = 3;
    int SEEK_HOLE = 4;
    int POSIX_FADV_DONTNEED = 4;

    int getpagesize();

    int open(String path, int flags, int mode);

    int close(int fd);

    long pwrite(int fd, byte[] buf, long count, long offset);

    long pread(int fd, byte[] buf, long count, long offset);

    int ftruncate(int fd, long length);

    int fallocate(int fd, int mode, long offset, long len);

    long lseek(int fd, long offset, int whence);

    /** struct stat on x86-64 is 144 bytes; st_size at 48, st_blocks at 64. */
    int fstat(int fd, byte[] statbuf);

    int fsync(int fd);

    int posix_fadvise(int fd, long offset, long len, int advice);
}
