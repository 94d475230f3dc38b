package org.kmodel.vfs.internal;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.spi.AttrChange;

/**
 * Buffered I/O through the page cache (mm/filemap.c {@code filemap_read}, {@code generic_perform_write},
 * {@code generic_write_checks}; fs/open.c {@code do_truncate}).
 */
final class FileIo {
    private static final int PS = PageCache.PAGE_SIZE;

    private FileIo() {}

    static int read(VfsInode inode, long pos, byte[] buf, int off, int len) {
        long size = inode.size();
        if (pos >= size || len == 0) {
            return 0;
        }
        int n = (int) Math.min(len, size - pos);
        int done = 0;
        while (done < n) {
            long p = pos + done;
            Page page = inode.cache.read(PageCache.indexOf(p));
            int inPage = (int) (p % PS);
            int chunk = Math.min(n - done, PS - inPage);
            System.arraycopy(page.data, inPage, buf, off + done, chunk);
            done += chunk;
        }
        return n;
    }

    /**
     * Writes through the page cache: {@code ->write_begin} reserves each page before it is dirtied (ENOSPC
     * fails the write there; bytes already copied stay, as a short write), the old EOF page's tail is zeroed
     * before the size moves, and EOF moves page by page with {@code ->extendSize}.
     */
    static int write(VfsCore core, VfsInode inode, long pos, byte[] buf, int off, int len) {
        if (len == 0) {
            return 0;
        }
        long max = inode.mount.sb.capabilities().maxBytes();
        if (pos < 0) {
            throw new KernelException(Errno.EINVAL, "write");
        }
        if (pos >= max) {
            throw new KernelException(Errno.EFBIG, "write");
        }
        if (pos >= core.rlimitFsize) {
            throw new KernelException(Errno.EFBIG, "write (SIGXFSZ)");
        }
        int n = (int) Math.min(len, Math.min(max - pos, core.rlimitFsize - pos));
        long oldSize = inode.size();
        long size = oldSize;
        if (pos + n > oldSize) {
            inode.cache.zeroTail(oldSize);
        }
        int done = 0;
        while (done < n) {
            long p = pos + done;
            long index = PageCache.indexOf(p);
            int inPage = (int) (p % PS);
            int chunk = Math.min(n - done, PS - inPage);
            try {
                inode.fs.writeBegin(index);
            } catch (KernelException e) {
                if (done == 0) {
                    throw e;
                }
                break;
            }
            Page page;
            try {
                page = chunk == PS ? inode.cache.grabForOverwrite(index) : inode.cache.read(index);
            } catch (KernelException e) {
                if (done == 0) {
                    throw e; // ENOMEM: the model's memory is full even after reclaim
                }
                break;
            }
            System.arraycopy(buf, off + done, page.data, inPage, chunk);
            page.dirty = true;
            done += chunk;
            if (p + chunk > size) {
                size = p + chunk;
                inode.fs.extendSize(size);
            }
        }
        Attrs.fileModified(inode, core.capFsetid);
        return done;
    }

    /** {@code do_truncate}: EINVAL/EFBIG/EPERM/ETXTBSY checks, page cache first, then the filesystem. */
    static void truncate(VfsCore core, VfsInode inode, long length) {
        if (length < 0) {
            throw new KernelException(Errno.EINVAL, "truncate");
        }
        if (length > inode.mount.sb.capabilities().maxBytes() || length > core.rlimitFsize) {
            throw new KernelException(Errno.EFBIG, "truncate");
        }
        if (inode.immutable() || inode.appendOnly()) {
            throw new KernelException(Errno.EPERM, "truncate");
        }
        if (inode.swapfile) {
            throw new KernelException(Errno.ETXTBSY, "truncate");
        }
        long oldSize = inode.size();
        inode.cache.resize(oldSize, length);
        AttrChange change = AttrChange.size(length, Attrs.now());
        int mode = inode.attr().mode();
        if (!core.capFsetid) {
            int cleared = mode & ~Attrs.S_ISUID;
            if ((mode & Attrs.S_IXGRP) != 0) {
                cleared &= ~Attrs.S_ISGID;
            }
            if (cleared != mode) {
                change = change.withMode(cleared & 07777);
            }
        }
        inode.fs.setattr(change);
    }
}
