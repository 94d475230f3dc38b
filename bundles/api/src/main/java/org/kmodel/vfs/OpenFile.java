package org.kmodel.vfs;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open file description ({@code struct file}, fs/file_table.c, fs/read_write.c): an inode, an access
 * mode fixed at open (see {@link OpenFlags}), and a file position. Data goes through the inode's page cache.
 * All methods throw {@link org.kmodel.kernel.KernelException} with the system call's errno; a closed
 * description gives EBADF.
 */
@ProviderType
public interface OpenFile extends AutoCloseable {
    /** The path this description was opened with (normalised, absolute). */
    String path();

    /** The open flags ({@link OpenFlags}). */
    int flags();

    /** read(2) at the file position; returns the bytes read (0 at EOF). EBADF if not readable, EISDIR for a directory. */
    int read(byte[] buf, int off, int len);

    /** write(2) at the file position (at EOF with O_APPEND); returns {@code len}. EBADF if not writable. */
    int write(byte[] buf, int off, int len);

    /** pread(2): does not move the position. */
    int pread(long pos, byte[] buf, int off, int len);

    /** pwrite(2): does not move the position (Linux appends anyway with O_APPEND). */
    int pwrite(long pos, byte[] buf, int off, int len);

    /** lseek(2) with {@link Whence}; SEEK_DATA/SEEK_HOLE as the filesystem and page cache report. */
    long lseek(long offset, int whence);

    /**
     * fallocate(2): {@code vfs_fallocate}'s checks in the kernel's order for the running release, then the
     * filesystem's {@code ->fallocate}. See {@link FallocateMode}.
     */
    void fallocate(int mode, long offset, long len);

    /** ftruncate(2). */
    void ftruncate(long length);

    /** fsync(2): writes back the inode's dirty pages. */
    void fsync();

    /** fstat(2). */
    Stat fstat();

    /**
     * FS_IOC_FIEMAP with FIEMAP_FLAG_SYNC over {@code [start, start + len)}; EOPNOTSUPP where the filesystem
     * has no fiemap (tmpfs).
     */
    List<FiemapExtent> fiemap(long start, long len);

    /** FS_IOC_GETFLAGS. */
    int getFlags();

    /** FS_IOC_SETFLAGS (chattr). */
    void setFlags(int flags);

    /**
     * mmap(2) of {@code [offset, offset + length)}; {@code offset} must be page aligned (EINVAL). PROT_WRITE
     * with MAP_SHARED needs a writable description (EACCES).
     */
    FileMapping mmap(long offset, long length, int prot, int flags);

    /** close(2); further calls give EBADF. Closing twice is a no-op. */
    @Override
    void close();
}
