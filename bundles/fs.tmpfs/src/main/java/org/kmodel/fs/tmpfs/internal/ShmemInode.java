package org.kmodel.fs.tmpfs.internal;

import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.InodeAttr;

/**
 * The attributes every tmpfs inode has ({@code struct shmem_inode_info} plus the generic inode fields). Files,
 * directories, symlinks and device nodes extend it.
 */
abstract class ShmemInode implements Inode {
    final ShmemSuperBlock sb;
    final long ino;
    int mode;
    int nlink;
    long atime;
    long mtime;
    long ctime;
    int flags;
    long rdev;

    ShmemInode(ShmemSuperBlock sb, long ino, int mode) {
        this.sb = sb;
        this.ino = ino;
        this.mode = mode;
        this.nlink = 1;
        long now = now();
        this.atime = now;
        this.mtime = now;
        this.ctime = now;
    }

    static long now() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    public long ino() {
        return ino;
    }

    /** i_size; zero for inodes without data. */
    long size() {
        return 0;
    }

    /** Allocated pages (i_blocks / 8). */
    long pages() {
        return 0;
    }

    @Override
    public InodeAttr getattr() {
        return new InodeAttr(
                mode,
                nlink,
                0,
                0,
                rdev,
                size(),
                pages() * (ShmemSuperBlock.PAGE_SIZE / 512),
                atime,
                mtime,
                ctime,
                flags);
    }

    @Override
    public void setattr(AttrChange c) {
        if (c.size() != null) {
            truncate(c.size());
        }
        if (c.mode() != null) {
            mode = (mode & ~07777) | (c.mode() & 07777);
        }
        if (c.atime() != null) {
            atime = c.atime();
        }
        if (c.mtime() != null) {
            mtime = c.mtime();
        }
        if (c.ctime() != null) {
            ctime = c.ctime();
        }
        if (c.flags() != null) {
            flags = c.flags();
        }
    }

    /** Size changes exist only for regular files; the VFS never asks others. */
    void truncate(long size) {
        throw new org.kmodel.kernel.KernelException(org.kmodel.kernel.Errno.EINVAL, "truncate");
    }

    void touch() {
        long now = now();
        mtime = now;
        ctime = now;
    }

    @Override
    public void evict() {
        sb.freeIno();
    }
}
