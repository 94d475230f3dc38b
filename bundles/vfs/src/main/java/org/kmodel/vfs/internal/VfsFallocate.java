package org.kmodel.vfs.internal;

import static org.kmodel.vfs.FallocateMode.COLLAPSE_RANGE;
import static org.kmodel.vfs.FallocateMode.INSERT_RANGE;
import static org.kmodel.vfs.FallocateMode.KEEP_SIZE;
import static org.kmodel.vfs.FallocateMode.PUNCH_HOLE;
import static org.kmodel.vfs.FallocateMode.UNSHARE_RANGE;
import static org.kmodel.vfs.FallocateMode.WRITE_ZEROES;
import static org.kmodel.vfs.FallocateMode.ZERO_RANGE;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.FsCapabilities;

/**
 * {@code vfs_fallocate} (fs/open.c): the generic checks in the kernel's order (docs/vfs.md#fallocate-the-generic-checks-in-the-kernels-order; the first
 * failing check decides the errno), per release profile, then the filesystem, then the side effects of
 * success. The page cache is written back and dropped around the filesystem call as docs/vfs.md#page-cache-around-fallocate describes, so dirty
 * data and shared mappings follow a collapse or insert.
 */
final class VfsFallocate {
    private static final String WHAT = "fallocate failed";

    private VfsFallocate() {}

    static void fallocate(VfsCore core, VfsInode inode, int fileFlags, int mode, long offset, long len) {
        KernelRelease r = core.release();
        if (offset < 0 || len <= 0) {
            throw fail(Errno.EINVAL);
        }
        checkMode(r, mode);
        if (!OpenFlags.writable(fileFlags)) {
            throw fail(Errno.EBADF);
        }
        if (inode.appendOnly() && appendOnlyRefuses(r, mode)) {
            throw fail(Errno.EPERM);
        }
        if (inode.immutable()) {
            throw fail(Errno.EPERM);
        }
        // "fs: disallow all fallocate operation on active swapfile" (3.15)
        if (inode.swapfile && r.atLeast(3, 15)) {
            throw fail(Errno.ETXTBSY);
        }
        FileType type = inode.type();
        if (type == FileType.FIFO) {
            throw fail(Errno.ESPIPE);
        }
        if (type == FileType.DIRECTORY) {
            throw fail(Errno.EISDIR);
        }
        // Block devices have had ->fallocate since 4.9 (blkdev_fallocate); the model has no block driver
        // behind device nodes, so one answers EOPNOTSUPP there.
        if (type == FileType.BLOCKDEV && r.atLeast(4, 9)) {
            throw fail(Errno.EOPNOTSUPP);
        }
        if (type != FileType.REGULAR) {
            throw fail(Errno.ENODEV);
        }
        FsCapabilities caps = inode.mount.sb.capabilities();
        long end = offset + len;
        if (end < 0 || end > caps.maxBytes()) {
            throw fail(Errno.EFBIG);
        }
        long oldSize = inode.size();
        // Here the kernel calls file->f_op->fallocate: the trace events bracket the filesystem's part, its own
        // mode check (tmpfs refusing COLLAPSE: ret -95) included. Guarded, so nothing is built while off.
        FallocateTrace trace = core.fallocateTrace;
        long dev = inode.mount.dev;
        if (trace.enterOn()) {
            trace.enter(dev, inode.ino, mode, offset, len);
        }
        try {
            if (!caps.supports(mode) || inode.fs.directIo()) {
                throw fail(Errno.EOPNOTSUPP);
            }
            FallocateRequest req = new FallocateRequest(mode, offset, len, oldSize, core.rlimitFsize);
            inode.fs.fallocateCheck(req);
            preparePageCache(inode, req, oldSize);
            inode.fs.fallocate(req);
        } catch (KernelException e) {
            if (trace.exitOn()) {
                trace.exit(dev, inode.ino, mode, offset, len, -e.errno().number());
            }
            throw e.what() != null && e.what().equals(WHAT) ? e : fail(e.errno());
        }
        if (trace.exitOn()) {
            trace.exit(dev, inode.ino, mode, offset, len, 0);
        }
        long newSize = inode.size();
        if (newSize > oldSize) {
            inode.cache.zeroTail(oldSize);
        } else if (newSize < oldSize) {
            inode.cache.invalidate(PageCache.indexCeil(newSize), Long.MAX_VALUE, true);
        }
        Attrs.fileModified(inode, core.capFsetid);
    }

    private static KernelException fail(Errno errno) {
        return new KernelException(errno, WHAT);
    }

    /** Steps 2-5 of the check order (docs/vfs.md) for release {@code r}. */
    static void checkMode(KernelRelease r, int mode) {
        int known = KEEP_SIZE | PUNCH_HOLE;
        if (r.atLeast(3, 15)) {
            known |= COLLAPSE_RANGE | ZERO_RANGE;
        }
        if (r.atLeast(4, 1)) {
            known |= INSERT_RANGE;
        }
        if (r.atLeast(4, 20)) {
            known |= UNSHARE_RANGE;
        }
        if (r.atLeast(6, 17)) {
            known |= WRITE_ZEROES;
        }
        if ((mode & ~known) != 0) {
            throw fail(Errno.EOPNOTSUPP);
        }
        if (r.atLeast(6, 12)) {
            checkModeSorted(mode);
        } else {
            checkModeLegacy(mode);
        }
    }

    /** 6.12+ ("fs: sort out the fallocate mode vs flag mess"): one mode, KEEP_SIZE only where allowed. */
    private static void checkModeSorted(int mode) {
        boolean keep = (mode & KEEP_SIZE) != 0;
        switch (mode & ~KEEP_SIZE) {
            case 0, ZERO_RANGE, UNSHARE_RANGE:
                return;
            case PUNCH_HOLE:
                if (!keep) {
                    throw fail(Errno.EOPNOTSUPP);
                }
                return;
            case COLLAPSE_RANGE, INSERT_RANGE, WRITE_ZEROES:
                if (keep) {
                    throw fail(Errno.EOPNOTSUPP);
                }
                return;
            default:
                throw fail(Errno.EOPNOTSUPP);
        }
    }

    /** 3.15 to 6.11: PUNCH rules give EOPNOTSUPP, a COLLAPSE/INSERT/UNSHARE mixed with anything EINVAL. */
    private static void checkModeLegacy(int mode) {
        if ((mode & PUNCH_HOLE) != 0 && (mode & ZERO_RANGE) != 0) {
            throw fail(Errno.EOPNOTSUPP);
        }
        if ((mode & PUNCH_HOLE) != 0 && (mode & KEEP_SIZE) == 0) {
            throw fail(Errno.EOPNOTSUPP);
        }
        if ((mode & COLLAPSE_RANGE) != 0 && (mode & ~COLLAPSE_RANGE) != 0) {
            throw fail(Errno.EINVAL);
        }
        if ((mode & INSERT_RANGE) != 0 && (mode & ~INSERT_RANGE) != 0) {
            throw fail(Errno.EINVAL);
        }
        if ((mode & UNSHARE_RANGE) != 0 && (mode & ~(UNSHARE_RANGE | KEEP_SIZE)) != 0) {
            throw fail(Errno.EINVAL);
        }
    }

    /**
     * Append-only files: on 6.18 every mode but allocate and KEEP_SIZE is EPERM (measured); older kernels
     * named the modes that remove or move data: PUNCH and COLLAPSE, INSERT since 4.1.
     */
    private static boolean appendOnlyRefuses(KernelRelease r, int mode) {
        if (r.atLeast(6, 12)) {
            return (mode & ~KEEP_SIZE) != 0;
        }
        return (mode & (PUNCH_HOLE | COLLAPSE_RANGE | INSERT_RANGE)) != 0;
    }

    /**
     * ext4_collapse_range/ext4_insert_range, xfs_flush_unmap_range: COLLAPSE and INSERT write back and drop everything from the offset's page to EOF (private COW copies
     * included, as ext4 does), so dirty data reaches the filesystem before it shifts and no cached page keeps an
     * old offset. PUNCH and ZERO write back and drop the pages the range touches, keeping private copies.
     */
    private static void preparePageCache(VfsInode inode, FallocateRequest req, long size) {
        PageCache cache = inode.cache;
        switch (req.operation()) {
            case COLLAPSE_RANGE, INSERT_RANGE -> {
                long from = PageCache.indexOf(req.offset());
                cache.writeback(from, Long.MAX_VALUE, size);
                cache.invalidate(from, Long.MAX_VALUE, true);
            }
            case PUNCH_HOLE, ZERO_RANGE, WRITE_ZEROES -> {
                long from = PageCache.indexOf(req.offset());
                long to = PageCache.indexCeil(req.end());
                cache.writeback(from, to, size);
                cache.invalidate(from, to, false);
            }
            default -> {}
        }
    }
}
