package org.kmodel.fs.extent;

import static org.kmodel.vfs.FallocateMode.COLLAPSE_RANGE;
import static org.kmodel.vfs.FallocateMode.INSERT_RANGE;
import static org.kmodel.vfs.FallocateMode.KEEP_SIZE;
import static org.kmodel.vfs.FallocateMode.PUNCH_HOLE;
import static org.kmodel.vfs.FallocateMode.UNSHARE_RANGE;
import static org.kmodel.vfs.FallocateMode.ZERO_RANGE;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The filesystem half of fallocate(2) for ext4 (fs/ext4/extents.c ext4_fallocate and its helpers,
 * fs/ext4/inode.c ext4_punch_hole) and xfs (fs/xfs/xfs_file.c xfs_file_fallocate, xfs_falloc_*), after the
 * VFS checks of vfs_fallocate passed. Where the two differ the {@link FsProfile} decides (docs/fs-ext4-xfs.md#where-ext4-and-xfs-differ).
 * Every error is raised before anything changes, except ext4's partial allocation on ENOSPC, which the real
 * ext4 keeps too.
 */
public final class Fallocator {
    /** The page size, which ext4_punch_hole rounds to. */
    static final int PAGE_SIZE = org.kmodel.kernel.Arch.PAGE_SIZE;

    private final FileData file;
    private final FsProfile p;
    private final int bs;

    public Fallocator(FileData file) {
        this.file = file;
        this.p = file.profile();
        this.bs = file.blockSize();
    }

    /**
     * Applies one well-formed mode (the VFS has rejected bad combinations already).
     *
     * @param fsizeLimit RLIMIT_FSIZE of the calling task (Long.MAX_VALUE when unlimited)
     */
    public void fallocate(int mode, long offset, long len, long fsizeLimit) {
        check(mode, offset, len, fsizeLimit);
        boolean keep = (mode & KEEP_SIZE) != 0;
        switch (mode & ~KEEP_SIZE) {
            case 0, UNSHARE_RANGE -> allocate(offset, len, keep, fsizeLimit); // no shared extents: allocation
            case PUNCH_HOLE -> punch(offset, len);
            case ZERO_RANGE -> zero(offset, len, keep, fsizeLimit);
            case COLLAPSE_RANGE -> collapse(offset, len);
            case INSERT_RANGE -> insert(offset, len, fsizeLimit);
            default -> throw new KernelException(Errno.EOPNOTSUPP, "fallocate failed");
        }
    }

    /**
     * The checks the filesystem makes before it changes anything (and before the VFS drops the page cache
     * for a shift): mode support, alignment, EOF rules, EFBIG. Changes nothing.
     */
    public void check(int mode, long offset, long len, long fsizeLimit) {
        boolean keep = (mode & KEEP_SIZE) != 0;
        switch (mode & ~KEEP_SIZE) {
            case 0, ZERO_RANGE -> {
                if (!keep) {
                    checkGrow(offset + len, fsizeLimit);
                }
            }
            case UNSHARE_RANGE -> {
                if (!p.unshareRange()) {
                    throw fail(Errno.EOPNOTSUPP);
                }
                if (!keep) {
                    checkGrow(offset + len, fsizeLimit);
                }
            }
            case PUNCH_HOLE -> {}
            case COLLAPSE_RANGE -> {
                checkAligned(offset, len);
                if (offset + len >= file.size()) {
                    throw fail(Errno.EINVAL);
                }
            }
            case INSERT_RANGE -> checkInsert(offset, len, fsizeLimit);
            default -> throw fail(Errno.EOPNOTSUPP);
        }
    }

    private static KernelException fail(Errno e) {
        return new KernelException(e, "fallocate failed");
    }

    /** inode_newsize_ok(): growing past RLIMIT_FSIZE is EFBIG (with SIGXFSZ in the kernel). */
    private void checkGrow(long newSize, long fsizeLimit) {
        if (newSize > file.size() && newSize > fsizeLimit) {
            throw fail(Errno.EFBIG);
        }
    }

    /** Mode 0 / KEEP_SIZE: every block touched gets allocated unwritten; data is never changed. */
    private void allocate(long offset, long len, boolean keep, long fsizeLimit) {
        long end = offset + len;
        long from = file.blockOf(offset);
        long to = file.blocksCovering(end);
        reserveOrPartial(from, to, offset, end, keep);
        if (!keep) {
            file.setSize(Math.max(file.size(), end));
        }
    }

    /**
     * Allocates the holes of [from, to) unwritten. xfs reserves the whole request up front and fails with
     * nothing allocated; ext4 allocates in order and keeps what it got, raising i_size to the end of it for
     * mode 0 (ext4_alloc_file_blocks updates i_size per chunk).
     */
    private void reserveOrPartial(long from, long to, long offset, long end, boolean keep) {
        BlockMapper m = file.mapper();
        if (!p.enospcKeepsPartial() && !m.ensureFree(m.clustersNeeded(from, to))) {
            throw fail(Errno.ENOSPC);
        }
        try {
            m.allocate(from, to, true);
        } catch (BlockMapper.PartialAllocation e) {
            if (!p.enospcKeepsPartial()) {
                file.undo(e.added());
            } else if (!keep) {
                long reached = Math.min(end, e.stoppedAt() * bs);
                file.setSize(Math.max(file.size(), Math.max(offset, reached)));
            }
            throw fail(Errno.ENOSPC);
        }
    }

    /** PUNCH_HOLE|KEEP_SIZE: zero partial blocks in place, unmap whole blocks; the size never changes. */
    private void punch(long offset, long len) {
        long end = offset + len;
        if (p.punchAtEofIsNoop()) {
            if (offset >= file.size()) {
                return; // ext4_punch_hole: nothing to do at or past EOF, post-EOF prealloc survives
            }
            if (end > file.size()) {
                // ...and a range crossing EOF ends after the *page* holding i_size (measured on ext4 1k: a punch
                // from 4096 past EOF 5000 frees blocks 4-7, keeps the KEEP_SIZE blocks from 8192 on)
                end = roundUp(file.size(), Math.max(PAGE_SIZE, bs));
            }
        }
        file.zeroInPlace(offset, Math.min(end, roundUp(offset, bs)));
        file.zeroInPlace(Math.max(offset, end / bs * bs), end);
        long first = file.blocksCovering(offset);
        long last = end / bs;
        if (first < last) {
            file.mapper().free(first, last, false);
        }
    }

    /**
     * ZERO_RANGE [|KEEP_SIZE]: the rounded-out range gets allocated unwritten where it was a hole, whole
     * blocks inside become unwritten, partial edge blocks are zeroed in place and stay written (measured on
     * 6.18: ext4 and xfs both allocate the edge blocks of a hole).
     */
    private void zero(long offset, long len, boolean keep, long fsizeLimit) {
        long end = offset + len;
        long from = file.blockOf(offset);
        long to = file.blocksCovering(end);
        reserveOrPartial(from, to, offset, end, true);
        long wholeFrom = file.blocksCovering(offset);
        long wholeTo = end / bs;
        file.zeroInPlace(offset, Math.min(end, wholeFrom * bs));
        file.zeroInPlace(Math.max(offset, wholeTo * bs), end);
        if (wholeFrom < wholeTo) {
            file.map().setState(wholeFrom, wholeTo, true);
        }
        if (!keep) {
            file.setSize(Math.max(file.size(), end));
        }
    }

    private void checkAligned(long offset, long len) {
        int unit = p.shiftAlignment();
        if (offset % unit != 0 || len % unit != 0) {
            throw fail(Errno.EINVAL);
        }
    }

    /**
     * COLLAPSE_RANGE: alignment, then the range must end before EOF (ext4_collapse_range,
     * xfs_falloc_collapse_range). The extents after the range move left in O(log n); no data is copied.
     */
    private void collapse(long offset, long len) {
        long from = offset / bs;
        long count = len / bs;
        file.mapper().collapse(from, from + count);
        long newSize = file.size() - len;
        file.setSize(newSize);
        if (p.collapseFreesPostEof()) {
            // xfs finishes with xfs_setattr_size-style truncation: every block past EOF goes.
            file.mapper().free(file.blocksCovering(newSize), Long.MAX_VALUE / 2, false);
        }
    }

    /**
     * INSERT_RANGE: alignment; ext4 checks offset &lt; size then EFBIG against s_maxbytes, xfs checks EFBIG,
     * then offset, then RLIMIT_FSIZE when it sets the new size. The size grows before the shift, as both do
     * for crash safety; the gap is a hole.
     */
    private void checkInsert(long offset, long len, long fsizeLimit) {
        checkAligned(offset, len);
        long size = file.size();
        if (p.insertChecksRlimit()) {
            if (len > p.maxBytes() - size) {
                throw fail(Errno.EFBIG);
            }
            if (offset >= size) {
                throw fail(Errno.EINVAL);
            }
            checkGrow(size + len, fsizeLimit);
        } else {
            if (offset >= size) {
                throw fail(Errno.EINVAL);
            }
            if (len > p.maxBytes() - size) {
                throw fail(Errno.EFBIG);
            }
        }
    }

    private void insert(long offset, long len, long fsizeLimit) {
        file.setSize(file.size() + len);
        file.map().insert(offset / bs, len / bs);
    }

    static long roundUp(long v, long unit) {
        return (v + unit - 1) / unit * unit;
    }
}
