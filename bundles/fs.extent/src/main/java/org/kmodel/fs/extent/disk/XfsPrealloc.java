package org.kmodel.fs.extent.disk;

import java.util.List;
import org.kmodel.fs.extent.Extent;
import org.kmodel.fs.extent.FileData;
import org.kmodel.vfs.FallocateMode;

/**
 * xfs speculative preallocation beyond EOF (docs/xfs-format.md, "Speculative preallocation"). A buffered write
 * that extends the file past its last extent reserves delalloc blocks past the write's end, sized from the
 * extents before it (fs/xfs/xfs_iomap.c xfs_buffered_write_iomap_begin, xfs_iomap_prealloc_size); stat counts
 * them (xfs_vn_getattr adds i_delayed_blks); writeback converts the whole delalloc extent, the post-EOF part
 * unwritten (xfs_bmapi_convert_delalloc); truncate to a size not above the old one, collapse and insert
 * (xfs_prepare_shift) and the first writable close (xfs_file_release) free them again (fs/xfs/xfs_bmap_util.c
 * xfs_can_free_eofblocks, xfs_free_eofblocks). Not modelled: the background blockgc scan
 * (speculative_prealloc_lifetime, 300 s by default) and quota throttling.
 *
 * <p>The model's write interface is page-granular ({@code ->write_begin} per page, {@code ->extendSize} as EOF
 * moves, {@code ->setattr} with the times at the end of the call), so one write(2) is followed across its pages:
 * the decision is taken at the first page past the last extent, and the mapping's end grows with the write's
 * last byte as the kernel's single iomap_begin sees it.
 */
final class XfsPrealloc {
    /** m_allocsize_log default: 64 KiB (xfs_mount.c xfs_set_low_space_thresholds/allocsize). */
    static final int ALLOCSIZE_LOG = 16;
    /** XFS_MAX_BMBT_EXTLEN: 21 bits. */
    static final long MAX_BMBT_EXTLEN = (1L << 21) - 1;

    private XfsPrealloc() {}

    static boolean applies(DiskSuperBlock sb) {
        return "xfs".equals(sb.profile().type());
    }

    /** ->write_begin of page {@code index}: a write past the last extent takes its preallocation decision here. */
    static void writeBegin(DiskSuperBlock sb, InodeData i, long index) {
        FileData f = i.data;
        if (f == null) {
            return;
        }
        int bs = f.blockSize();
        int page = DiskInode.PAGE_SIZE;
        long pos = index * page;
        boolean sameCall = i.xfsWritePage >= 0 && (index == i.xfsWritePage + 1 || index == i.xfsWritePage);
        i.xfsWritePage = index;
        if (sameCall && i.xfsPending != null) {
            return; // the call's mapping is already open; extendSize grows it
        }
        i.xfsPending = null;
        long lastEnd = lastExtentEnd(i);
        long firstBlk = pos / bs;
        long pageEndBlk = (pos + page) / bs;
        // offset_fsb: the page's first block, or where the last extent ends inside the page (the kernel's next
        // iomap iteration starts there); the write's byte offset inside the page is not known to the model
        long offsetFsb = lastEnd > firstBlk && lastEnd < pageEndBlk ? lastEnd : firstBlk;
        if (lastEnd > offsetFsb) {
            return; // an extent (real or delalloc) at or after offset_fsb: not the eof case
        }
        // the kernel's mapping covers the whole rest of the call (up to 1024 pages) with or without preallocation,
        // so the call's later pages take no decision of their own
        i.xfsPending = new long[] {offsetFsb, preallocBlocks(sb, i, offsetFsb)};
    }

    /** ->extendSize during the write: the write reaches past EOF, so its mapping gets the preallocation. */
    static void extendSize(DiskSuperBlock sb, InodeData i, long newSize) {
        long[] pend = i.xfsPending;
        FileData f = i.data;
        if (pend == null || pend[1] == 0 || f == null) {
            return;
        }
        int bs = f.blockSize();
        // p_end_fsb = FSBT(XFS_ALLOC_ALIGN(offset + count - 1)) + prealloc; capped at s_maxbytes
        long endOffset = ((newSize - 1) >> ALLOCSIZE_LOG) << ALLOCSIZE_LOG;
        long pEnd =
                Math.min(endOffset / bs + pend[1], Delalloc.ceilDiv(f.profile().maxBytes(), bs));
        long endFsb = Delalloc.ceilDiv(newSize, bs);
        if (pEnd <= endFsb) {
            return;
        }
        // The kernel reserved the call's whole mapping, [offset_fsb, p_end_fsb), as one delalloc extent before
        // it copied the first page, and writeback converts a delalloc extent as a whole
        // (xfs_bmapi_convert_delalloc). The model learns the mapping's end page by page, so a page of this call
        // may already have been written back, and with it the part reserved so far converted into an
        // unwritten extent. A new part that continues such a converted part of this call's mapping belongs to
        // that same kernel extent: it is allocated with it, unwritten. Anything else is reserved (delalloc).
        long callStart = Math.min(pend[0], endFsb - 1);
        for (long[] h : f.map().holes(endFsb, pEnd)) {
            long b = h[0];
            while (b < h[1]) {
                if (reservedForRun(i, b)) {
                    b++; // reserved already
                    continue;
                }
                // a run of blocks new to the mapping (unreserved, or reserved only by the page granularity)
                long runEnd = b + 1;
                while (runEnd < h[1] && !reservedForRun(i, runEnd)) {
                    runEnd++;
                }
                boolean continuesConverted = b - 1 >= callStart && f.map().lookup(b - 1) != null;
                if (continuesConverted) {
                    allocateUnwritten(sb, i, b, runEnd);
                } else {
                    Delalloc.reserveBlocks(sb, i, b, runEnd);
                }
                b = runEnd;
            }
        }
    }

    /** End of the write(2) call ({@code ->setattr} with the times, file_update_time) or any other change. */
    static void endCall(InodeData i) {
        i.xfsPending = null;
        i.xfsWritePage = -1;
    }

    /**
     * Writeback of a page (fs/iomap/buffered-io.c iomap_writepage_map maps the folio's dirty blocks only;
     * fs/xfs/xfs_aops.c xfs_map_blocks finds a dirty block in a delalloc extent and xfs_bmapi_convert_delalloc
     * allocates that whole extent, unwritten, up to its end). {@code dirtyDelalloc}: the page's blocks the
     * writeback stored that were delalloc, ascending. The delalloc runs before and after each group of them
     * (the page's own untouched blocks that the kernel had reserved too, speculative ones past EOF, blocks of
     * other dirty pages) are allocated with them, unwritten; those pages' own writeback then writes them. A
     * run stops at a hole and at a block another page's {@code ->write_begin} reserved only because it is
     * page-granular (the kernel may not have reserved it: its own writeback decides).
     */
    static void afterWriteback(DiskSuperBlock sb, InodeData i, List<Long> dirtyDelalloc) {
        int k = 0;
        while (k < dirtyDelalloc.size()) {
            long first = dirtyDelalloc.get(k);
            long end = first + 1;
            k++;
            while (k < dirtyDelalloc.size() && dirtyDelalloc.get(k) == end) {
                end++;
                k++;
            }
            long runStart = first;
            while (runStart > 0 && reservedForRun(i, runStart - 1)) {
                runStart--;
            }
            long runEnd = end;
            while (reservedForRun(i, runEnd)) {
                runEnd++;
            }
            if (runStart < first) {
                allocateUnwritten(sb, i, runStart, first);
            }
            if (runEnd > end) {
                allocateUnwritten(sb, i, end, runEnd);
            }
        }
    }

    /** Reserved as the kernel would have (delalloc, and not only by the page granularity of write_begin). */
    private static boolean reservedForRun(InodeData i, long b) {
        return i.delalloc.contains(b) && !i.pageOnly.contains(b);
    }

    private static void allocateUnwritten(DiskSuperBlock sb, InodeData i, long from, long to) {
        FileData f = i.data;
        long need = f.mapper().clustersNeeded(from, to);
        java.util.SortedSet<Long> held = i.delalloc.subSet(from, to);
        // reservations being converted pay for themselves
        if (!f.mapper().ensureFree(sb.reserved() - held.size() + need)) {
            return;
        }
        sb.reserve(-held.size());
        held.clear();
        i.pageOnly.subSet(from, to).clear();
        f.mapper().allocate(from, to, true);
    }

    /** Blocks past the last extent (real or delalloc): the end of the last one, 0 for none. */
    static long lastExtentEnd(InodeData i) {
        Extent last = i.data.map().last();
        long end = last == null ? 0 : last.end();
        if (!i.delalloc.isEmpty()) {
            end = Math.max(end, i.delalloc.last() + 1);
        }
        return end;
    }

    /** xfs_iomap_prealloc_size for a write at block {@code offsetFsb} past the last extent. */
    static long preallocBlocks(DiskSuperBlock sb, InodeData i, long offsetFsb) {
        FileData f = i.data;
        int bs = f.blockSize();
        long allocsize = Math.max(1, (1L << ALLOCSIZE_LOG) / bs);
        long isize = f.size();
        // no preallocation while the file is smaller than the minimum: likely its only write
        if (isize < allocsize * bs) {
            return 0;
        }
        // the previous extent: the last delalloc run or the last real extent, whichever ends later
        Extent lastReal = f.map().last();
        long realEnd = lastReal == null ? -1 : lastReal.end();
        long delEnd = i.delalloc.isEmpty() ? -1 : i.delalloc.last() + 1;
        if (realEnd < 0 && delEnd < 0) {
            return allocsize; // no previous extent
        }
        long plen;
        if (delEnd > realEnd) {
            if (delEnd < offsetFsb) {
                return allocsize; // writing after a hole
            }
            long start = delEnd - 1;
            while (i.delalloc.contains(start - 1)) {
                start--;
            }
            plen = delEnd - start; // a delalloc extent: the walk back stops at it
        } else {
            if (realEnd < offsetFsb) {
                return allocsize;
            }
            // the previous extents that are contiguous in the file and on disk, written or not
            Extent prev = lastReal;
            plen = prev.len();
            while (plen <= MAX_BMBT_EXTLEN / 2) {
                Extent got = prev.lblk() == 0 ? null : f.map().tree().floor(prev.lblk() - 1);
                if (got == null || got.end() != prev.lblk() || got.pend() != prev.pblk()) {
                    break;
                }
                plen += got.len();
                prev = got;
            }
        }
        long alloc = plen * 2;
        if (alloc > MAX_BMBT_EXTLEN) {
            alloc = offsetFsb; // XFS_B_TO_FSB(offset): large files grow by their own size
        }
        alloc = Math.min(Long.highestOneBit(MAX_BMBT_EXTLEN) << 1, alloc);
        // low free space throttling: 1% steps below 5% of the data blocks (xfs_set_low_space_thresholds)
        long dblocks = sb.allocator().endUnit();
        long freesp = Math.max(0, sb.allocator().freeUnits() - sb.reserved());
        long pct = dblocks / 100;
        int shift = 0;
        if (freesp < pct * 5) {
            shift = 2;
            for (int k = 4; k >= 1; k--) {
                if (freesp < pct * k) {
                    shift++;
                }
            }
        }
        alloc >>= shift;
        if (alloc > 0) {
            alloc = Long.highestOneBit(alloc);
        }
        alloc = Math.min(alloc, MAX_BMBT_EXTLEN);
        while (alloc > 0 && alloc >= freesp) {
            alloc >>= 4;
        }
        return Math.max(alloc, allocsize);
    }

    /** XFS_DIFLAG_PREALLOC: set by every fallocate that runs xfs_alloc_file_space (allocate, zero range). */
    static void fallocated(InodeData i, int mode) {
        int op = FallocateMode.operation(mode);
        if (op == FallocateMode.ALLOCATE || op == FallocateMode.ZERO_RANGE) {
            i.xfsPreallocFlag = true;
        }
    }

    /**
     * xfs_can_free_eofblocks + xfs_free_eofblocks with EOF at {@code size}: with XFS_DIFLAG_PREALLOC only
     * delalloc past EOF goes, else every block past EOF. Returns the 512-byte units freed.
     */
    static long freeEofBlocks(DiskSuperBlock sb, InodeData i, long size) {
        FileData f = i.data;
        if (f == null || (size == 0 && i.delalloc.isEmpty() && f.map().last() == null)) {
            return 0;
        }
        if (i.xfsPreallocFlag && i.delalloc.isEmpty()) {
            return 0;
        }
        int bs = f.blockSize();
        long endFsb = Delalloc.ceilDiv(size, bs);
        long before = postEofUnits(i, size);
        if (before == 0) {
            return 0;
        }
        Delalloc.releaseBeyond(sb, i, size);
        if (!i.xfsPreallocFlag) {
            f.mapper().free(endFsb, Long.MAX_VALUE / 2, false);
        }
        sb.touched(i.ino);
        return (before - postEofUnits(i, size)) * (bs / 512);
    }

    /** xfs_file_release: an XFS_ITRUNCATED inode with delalloc blocks starts writeback (filemap_flush) first. */
    static boolean flushBeforeRelease(InodeData i) {
        return i.xfsTruncated && !i.delalloc.isEmpty();
    }

    /**
     * {@code ->release} (fs/xfs/xfs_file.c xfs_file_release): a truncate down since the last release
     * (XFS_ITRUNCATED) re-arms the trim; then the first release of a writable description of a linked inode
     * without the append-only flag frees the post-EOF blocks (xfs_can_free_eofblocks, xfs_free_eofblocks) and,
     * if there were any, marks the inode (XFS_EOFBLOCKS_RELEASED) so later closes keep what later writes
     * preallocate: files that are opened, appended to and closed again keep growing contiguously. Read-only
     * releases never trim. The early writeback (filemap_flush) of a truncated inode with delalloc blocks is
     * {@link #flushBeforeRelease}: it turns the delalloc extents into real ones, which the next preallocation
     * measures. The flags are in memory only, as in the kernel's in-core inode (their loss when the inode
     * leaves the inode cache is not modelled).
     */
    static void release(DiskSuperBlock sb, InodeData i, boolean writable) {
        endCall(i);
        if (i.xfsTruncated) {
            i.xfsTruncated = false;
            i.xfsEofReleased = false;
        }
        if (!writable
                || i.nlink == 0
                || i.data == null
                || (i.flags & org.kmodel.vfs.InodeFlags.APPEND) != 0
                || i.xfsEofReleased) {
            return;
        }
        long size = i.data.size();
        boolean canFree = !(size == 0 && i.delalloc.isEmpty()) // an empty file with no pages
                && (!i.xfsPreallocFlag || !i.delalloc.isEmpty())
                && postEofUnits(i, size) > 0;
        if (canFree) {
            freeEofBlocks(sb, i, size);
            i.xfsEofReleased = true;
        }
    }

    /** Blocks (real or delalloc) at or past the block holding EOF's end. */
    static long postEofUnits(InodeData i, long size) {
        FileData f = i.data;
        int bs = f.blockSize();
        long endFsb = Delalloc.ceilDiv(size, bs);
        long n = i.delalloc.tailSet(endFsb).size();
        List<Extent> past = f.map().overlapping(endFsb, Long.MAX_VALUE / 2);
        for (Extent e : past) {
            n += e.end() - Math.max(e.lblk(), endFsb);
        }
        return n;
    }
}
