package org.kmodel.vfs.internal;

import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.FileMapping;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Stat;
import org.kmodel.vfs.Whence;

/**
 * An open file description ({@code struct file}, fs/read_write.c, fs/ioctl.c): inode, access mode, position.
 * Every call takes the VFS lock; a closed description answers EBADF.
 */
final class FileDescription implements OpenFile {
    private final VfsCore core;
    private final Location loc;
    final VfsInode inode;
    private final int flags;
    private long pos;
    private boolean closed;
    /** Holds write access to the mount until close ({@code FMODE_WRITER}, {@link Opener#holdsWriter}). */
    private final boolean writer;

    FileDescription(VfsCore core, Location loc, int flags) {
        this.core = core;
        this.loc = loc;
        this.inode = loc.inode();
        this.flags = flags;
        this.writer = Opener.holdsWriter(flags, inode.type());
        if (writer) {
            inode.writers++;
        }
    }

    @Override
    public String path() {
        return loc.path();
    }

    @Override
    public int flags() {
        return flags;
    }

    private void checkOpen() {
        if (closed) {
            throw new KernelException(Errno.EBADF, path());
        }
    }

    private void checkIo() {
        checkOpen();
        if ((flags & OpenFlags.O_PATH) != 0) {
            throw new KernelException(Errno.EBADF, path());
        }
    }

    private void checkReadable() {
        checkIo();
        if (!OpenFlags.readable(flags)) {
            throw new KernelException(Errno.EBADF, "read");
        }
        if (inode.isDir()) {
            throw new KernelException(Errno.EISDIR, "read");
        }
    }

    private void checkWritable() {
        checkIo();
        if (!OpenFlags.writable(flags)) {
            throw new KernelException(Errno.EBADF, "write");
        }
    }

    private boolean seekable() {
        FileType t = inode.type();
        return t != FileType.FIFO && t != FileType.SOCKET;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        synchronized (core.lock) {
            checkReadable();
            int n = doRead(pos, buf, off, len);
            pos += n;
            return n;
        }
    }

    @Override
    public int pread(long position, byte[] buf, int off, int len) {
        synchronized (core.lock) {
            checkReadable();
            if (!seekable()) {
                throw new KernelException(Errno.ESPIPE, "pread");
            }
            if (position < 0) {
                throw new KernelException(Errno.EINVAL, "pread");
            }
            return doRead(position, buf, off, len);
        }
    }

    private int doRead(long position, byte[] buf, int off, int len) {
        if (inode.fs.directIo()) {
            return inode.fs.readDirect(position, buf, off, len);
        }
        if (inode.type() != FileType.REGULAR) {
            return 0; // FIFOs with no writer, /dev/null-like nodes: EOF
        }
        return FileIo.read(inode, position, buf, off, len);
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        synchronized (core.lock) {
            checkWritable();
            if ((flags & OpenFlags.O_APPEND) != 0) {
                pos = inode.size();
            }
            int n = doWrite(pos, buf, off, len);
            pos += n;
            return n;
        }
    }

    @Override
    public int pwrite(long position, byte[] buf, int off, int len) {
        synchronized (core.lock) {
            checkWritable();
            if (!seekable()) {
                throw new KernelException(Errno.ESPIPE, "pwrite");
            }
            if (position < 0) {
                throw new KernelException(Errno.EINVAL, "pwrite");
            }
            // Linux quirk kept: pwrite on an O_APPEND description appends.
            long at = (flags & OpenFlags.O_APPEND) != 0 ? inode.size() : position;
            return doWrite(at, buf, off, len);
        }
    }

    private int doWrite(long position, byte[] buf, int off, int len) {
        if (inode.fs.directIo()) {
            return inode.fs.writeDirect(position, buf, off, len);
        }
        if (inode.type() != FileType.REGULAR) {
            return len; // /dev/null-like sink
        }
        return FileIo.write(core, inode, position, buf, off, len);
    }

    @Override
    public long lseek(long offset, int whence) {
        synchronized (core.lock) {
            checkIo();
            if (!seekable()) {
                throw new KernelException(Errno.ESPIPE, "lseek");
            }
            long target =
                    switch (whence) {
                        case Whence.SEEK_SET -> offset;
                        case Whence.SEEK_CUR -> addChecked(pos, offset);
                        case Whence.SEEK_END -> addChecked(inode.size(), offset);
                        case Whence.SEEK_DATA, Whence.SEEK_HOLE -> {
                            if (inode.type() != FileType.REGULAR) {
                                throw new KernelException(Errno.EINVAL, "lseek");
                            }
                            yield SeekDataHole.seek(inode, offset, whence == Whence.SEEK_DATA);
                        }
                        default -> throw new KernelException(Errno.EINVAL, "lseek");
                    };
            // vfs_setpos: negative or past s_maxbytes is EINVAL (ext4 on this machine: 16 TiB - 4 KiB + 1 fails)
            if (target < 0 || target > inode.mount.sb.capabilities().maxBytes()) {
                throw new KernelException(Errno.EINVAL, "lseek");
            }
            pos = target;
            return pos;
        }
    }

    /** The kernel adds in loff_t and lets it wrap; a wrapped (negative) result then fails as EINVAL. */
    private static long addChecked(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            throw new KernelException(Errno.EINVAL, "lseek");
        }
        return r;
    }

    @Override
    public void fallocate(int mode, long offset, long len) {
        synchronized (core.lock) {
            if (closed || (flags & OpenFlags.O_PATH) != 0) {
                throw new KernelException(Errno.EBADF, "fallocate failed");
            }
            VfsFunctions.vfsFallocate(core, inode, flags, mode, offset, len);
        }
    }

    @Override
    public void ftruncate(long length) {
        synchronized (core.lock) {
            checkIo();
            if (!OpenFlags.writable(flags) || inode.type() != FileType.REGULAR) {
                throw new KernelException(Errno.EINVAL, "ftruncate");
            }
            FileIo.truncate(core, inode, length);
        }
    }

    @Override
    public void fsync() {
        synchronized (core.lock) {
            checkIo();
            if (inode.type() == FileType.REGULAR) {
                inode.cache.writeback(0, Long.MAX_VALUE, inode.size());
            }
            inode.fs.fsync();
        }
    }

    @Override
    public Stat fstat() {
        synchronized (core.lock) {
            checkOpen();
            return Attrs.stat(inode);
        }
    }

    @Override
    public List<FiemapExtent> fiemap(long start, long len) {
        synchronized (core.lock) {
            checkIo();
            if (!inode.mount.sb.capabilities().fiemap() || inode.type() != FileType.REGULAR) {
                throw new KernelException(Errno.EOPNOTSUPP, "fiemap");
            }
            if (start < 0 || len <= 0) {
                throw new KernelException(Errno.EINVAL, "fiemap");
            }
            // FIEMAP_FLAG_SYNC: what xfs_io and filefrag ask for, so delayed allocations show as extents
            inode.cache.writeback(0, Long.MAX_VALUE, inode.size());
            long span = Math.min(len, Long.MAX_VALUE - start);
            return List.copyOf(inode.fs.mapExtents(start, span));
        }
    }

    @Override
    public int getFlags() {
        synchronized (core.lock) {
            checkIo();
            return inode.attr().flags();
        }
    }

    @Override
    public void setFlags(int newFlags) {
        synchronized (core.lock) {
            checkIo();
            core.setFlags(inode, newFlags);
        }
    }

    @Override
    public FileMapping mmap(long offset, long length, int prot, int mapFlags) {
        synchronized (core.lock) {
            checkIo();
            return FileMappingImpl.create(core, inode, flags, offset, length, prot, mapFlags);
        }
    }

    @Override
    public void close() {
        synchronized (core.lock) {
            if (closed) {
                return;
            }
            closed = true;
            if ((flags & OpenFlags.O_PATH) == 0) {
                // ->release: the model's descriptions are not shared (no dup), so close is the final fput
                if (inode.type() == FileType.REGULAR && inode.fs.flushBeforeRelease()) {
                    inode.cache.writeback(0, Long.MAX_VALUE, inode.size());
                }
                inode.fs.release(OpenFlags.writable(flags));
            }
            if (inode.users > 0) {
                inode.users--;
            }
            if (writer) {
                inode.writers--;
            }
            inode.mount.evictIfUnused(inode);
        }
    }
}
