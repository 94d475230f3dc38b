package org.kmodel.fs.extent.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.kmodel.fs.extent.FileData;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * Delayed allocation (fs/ext4/inode.c ext4_da_reserve_space, fs/xfs/xfs_iomap.c delalloc reservations): a
 * page dirtied through write_begin reserves its clusters, so ENOSPC comes at write time and stat/df count
 * the space, but nothing is mapped until writeback. The reservation is per page: the SPI does not say which
 * bytes of the page will be written, so sub-page block sizes over-count until writeback.
 */
final class Delalloc {
    private Delalloc() {}

    /** Reserves the unmapped clusters of bytes [pos, pos + len); ENOSPC if free space cannot cover them. */
    static void reserve(DiskSuperBlock sb, InodeData i, long pos, long len) {
        FileData f = i.data;
        if (f == null) {
            throw new KernelException(i.isDir() ? Errno.EISDIR : Errno.EINVAL, "write");
        }
        int cs = sb.profile().clusterSize();
        int cpc = sb.profile().blocksPerCluster();
        List<Long> fresh = new ArrayList<>();
        for (long lc = pos / cs; lc <= (pos + len - 1) / cs; lc++) {
            if (!i.delalloc.contains(lc)
                    && f.map().overlapping(lc * cpc, (lc + 1) * cpc).isEmpty()) {
                fresh.add(lc);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        // each cluster mapped at writeback may add an extent and split a free run (xfs reserves the worst-case
        // bmap blocks with its delalloc extent, xfs_bmapi_reserve_delalloc)
        sb.reserveMeta(DeltaLogStore.PIECE * fresh.size(), "write");
        if (!f.mapper().ensureFree(sb.reserved() + fresh.size())) {
            throw new KernelException(Errno.ENOSPC, "write");
        }
        i.delalloc.addAll(fresh);
        if (XfsPrealloc.applies(sb) && sb.profile().blockSize() < DiskInode.PAGE_SIZE) {
            i.pageOnly.addAll(fresh); // which of them the write covers is known at writeback
        }
        sb.reserve(fresh.size());
    }

    /**
     * Reserves the unmapped, unreserved blocks [from, to) of an xfs file (speculative preallocation, cluster ==
     * block); nothing when free space cannot cover them (xfs_buffered_write_iomap_begin retries without it).
     */
    static void reserveBlocks(DiskSuperBlock sb, InodeData i, long from, long to) {
        FileData f = i.data;
        List<Long> fresh = new ArrayList<>();
        for (long[] h : f.map().holes(from, to)) {
            for (long b = h[0]; b < h[1]; b++) {
                if (!i.delalloc.contains(b)) {
                    fresh.add(b);
                }
            }
        }
        if (!fresh.isEmpty() && !f.mapper().ensureFree(sb.reserved() + fresh.size())) {
            return;
        }
        i.delalloc.addAll(fresh);
        sb.reserve(fresh.size());
        // page-only blocks of a write_begin that the preallocation covers: the kernel reserves them too
        i.pageOnly.subSet(from, to).clear();
    }

    /** Drops the reservations of the clusters touching bytes [from, to) (the page was written back). */
    static void releaseTouching(DiskSuperBlock sb, InodeData i, long from, long to) {
        int cs = sb.profile().clusterSize();
        drop(sb, i, from / cs, ceilDiv(to, cs));
    }

    /** Drops the reservations of clusters wholly at or past {@code size} (truncated pages; all at evict). */
    static void releaseBeyond(DiskSuperBlock sb, InodeData i, long size) {
        int cs = sb.profile().clusterSize();
        drop(sb, i, ceilDiv(size, cs), Long.MAX_VALUE);
    }

    private static void drop(DiskSuperBlock sb, InodeData i, long fromLc, long toLc) {
        SortedSet<Long> gone = i.delalloc.subSet(fromLc, toLc);
        sb.reserve(-gone.size());
        gone.clear();
        i.pageOnly.subSet(fromLc, toLc).clear();
    }

    /** Drops the reservations of blocks [fromLc, toLc) (an xfs punch unmaps delalloc extents too, xfs_bunmapi). */
    static void dropRange(DiskSuperBlock sb, InodeData i, long fromLc, long toLc) {
        if (fromLc < toLc) {
            drop(sb, i, fromLc, toLc);
        }
    }

    /**
     * xfs INSERT_RANGE / COLLAPSE_RANGE move the reservations with the extents (xfs_bmap_insert_extents and
     * xfs_bmap_collapse_extents walk the in-core extent list, delalloc records included): blocks at or after
     * {@code from} move by {@code delta}; for a collapse (delta &lt; 0) those in [from + delta, from) go first.
     */
    static void shift(DiskSuperBlock sb, InodeData i, long from, long delta) {
        if (delta < 0) {
            drop(sb, i, from + delta, from);
        }
        shiftTail(i.delalloc, from, delta);
        shiftTail(i.pageOnly, from, delta);
    }

    /** Moves the blocks at or after {@code from} by {@code delta}. */
    private static void shiftTail(java.util.TreeSet<Long> blocks, long from, long delta) {
        SortedSet<Long> moving = blocks.tailSet(from);
        List<Long> moved = new ArrayList<>(moving);
        moving.clear();
        for (Long b : moved) {
            blocks.add(b + delta);
        }
    }

    /** A reservation whose cluster an operation mapped (allocation over a dirty page) is spent. */
    static void dropMapped(DiskSuperBlock sb, InodeData i, long from, long to) {
        int cs = sb.profile().clusterSize();
        int cpc = sb.profile().blocksPerCluster();
        for (Long lc : new ArrayList<>(i.delalloc.subSet(from / cs, ceilDiv(to, cs)))) {
            if (!i.data.map().overlapping(lc * cpc, (lc + 1) * cpc).isEmpty()) {
                i.delalloc.remove(lc);
                i.pageOnly.remove(lc);
                sb.reserve(-1);
            }
        }
    }

    /** Rounds up without overflowing: ranges may end near Long.MAX_VALUE (xfs s_maxbytes is LLONG_MAX). */
    static long ceilDiv(long v, long unit) {
        return v / unit + (v % unit == 0 ? 0 : 1);
    }
}
