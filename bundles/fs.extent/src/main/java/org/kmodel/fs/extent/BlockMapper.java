package org.kmodel.fs.extent;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * Allocation and release of a file's blocks (ext4_ext_map_blocks / ext4_ext_remove_space, xfs_bmapi_write /
 * xfs_bunmapi). The map is kept in blocks; space is taken from the allocator in clusters, so on ext4 bigalloc
 * every block of a logical cluster lives in the same physical cluster (lblk % cpc == pblk % cpc) and a cluster
 * is freed only when its last mapped block goes (ext4_free_blocks with the partial-cluster rules).
 */
public final class BlockMapper {
    private final ExtentMap map;
    private final SpaceAllocator alloc;
    private final int cpc;
    private final Runnable forceCommit;

    /**
     * @param forceCommit makes pending frees allocatable (a journal commit); called once before giving up
     *                    with ENOSPC, as ext4_should_retry_alloc does
     */
    public BlockMapper(ExtentMap map, SpaceAllocator alloc, int blocksPerCluster, Runnable forceCommit) {
        this.map = map;
        this.alloc = alloc;
        this.cpc = blocksPerCluster;
        this.forceCommit = forceCommit;
    }

    private Runnable beforeAllocate = () -> {};

    /**
     * Called before blocks are taken for the file: ext4 marks the inode dirty first, so the units held back for
     * the next commit's extent-tree blocks (SpaceAllocator#metadataFloor) already count this file.
     */
    public void beforeAllocate(Runnable r) {
        this.beforeAllocate = r;
    }

    public ExtentMap map() {
        return map;
    }

    /** The physical cluster already backing logical cluster {@code lc}, or -1. */
    long physicalCluster(long lc) {
        if (cpc == 1) {
            Extent e = map.lookup(lc);
            return e == null ? -1 : e.pblk() + (lc - e.lblk());
        }
        List<Extent> in = map.overlapping(lc * cpc, lc * cpc + cpc);
        if (in.isEmpty()) {
            return -1;
        }
        Extent e = in.get(0);
        long b = Math.max(e.lblk(), lc * cpc);
        return (e.pblk() + (b - e.lblk())) / cpc;
    }

    /** Allocation units (clusters) still needed to fill every hole of [from, to). */
    public long clustersNeeded(long from, long to) {
        long need = 0;
        long lastCounted = -1;
        for (long[] h : map.holes(from, to)) {
            if (cpc == 1) {
                need += h[1] - h[0];
                continue;
            }
            for (long lc = h[0] / cpc; lc <= (h[1] - 1) / cpc; lc++) {
                if (lc != lastCounted && physicalCluster(lc) < 0) {
                    need++;
                    lastCounted = lc;
                }
            }
        }
        return need;
    }

    /** Whether {@code clusters} can be allocated, committing once to recycle pending frees if needed. */
    public boolean ensureFree(long clusters) {
        if (alloc.freeForData() < clusters && alloc.pendingUnits() > 0) {
            forceCommit.run();
        }
        return alloc.freeForData() >= clusters;
    }

    /**
     * Maps every hole of blocks [from, to) in the given state, in ascending order. On ENOSPC the blocks
     * mapped so far stay (the caller decides: ext4 keeps them, the others undo) and the exception says
     * where allocation stopped via {@link PartialAllocation}.
     *
     * @return the newly mapped extents
     */
    public List<Extent> allocate(long from, long to, boolean unwritten) {
        List<Extent> added = new ArrayList<>();
        for (long[] h : map.holes(from, to)) {
            long b = h[0];
            while (b < h[1]) {
                b = fillFrom(b, h[1], unwritten, added);
            }
        }
        return added;
    }

    private long fillFrom(long b, long holeEnd, boolean unwritten, List<Extent> added) {
        long lc = b / cpc;
        if (cpc > 1) {
            long pc = physicalCluster(lc);
            if (pc >= 0) {
                long n = Math.min(holeEnd, (lc + 1) * cpc) - b;
                mapChunk(new Extent(b, n, pc * cpc + b % cpc, unwritten), added);
                return b + n;
            }
        }
        long end = holeEnd;
        long lastLc = (end - 1) / cpc;
        if (cpc > 1 && lastLc > lc && physicalCluster(lastLc) >= 0) {
            end = lastLc * cpc;
        }
        long clusters = (end - 1) / cpc - lc + 1;
        beforeAllocate.run();
        long[] r = alloc.allocate(clusters, goal(b));
        if (r == null && alloc.pendingUnits() > 0) {
            forceCommit.run();
            beforeAllocate.run(); // the commit cleaned the inode; its next extents count again
            r = alloc.allocate(clusters, goal(b));
        }
        if (r == null) {
            throw new PartialAllocation(b, added);
        }
        long n = Math.min(r[1] * cpc - b % cpc, end - b);
        mapChunk(new Extent(b, n, r[0] * cpc + b % cpc, unwritten), added);
        return b + n;
    }

    private long goal(long b) {
        Extent prev = b > 0 ? map.tree().floor(b - 1) : null;
        return prev == null ? alloc.firstUnit() : (prev.pblk() + (b - prev.lblk())) / cpc;
    }

    private void mapChunk(Extent e, List<Extent> added) {
        long max = map.maxLen(e.unwritten());
        for (long off = 0; off < e.len(); off += max) {
            Extent piece = new Extent(e.lblk() + off, Math.min(max, e.len() - off), e.pblk() + off, e.unwritten());
            map.map(piece);
            added.add(piece);
        }
    }

    /**
     * Unmaps blocks [from, to) and frees the clusters that no longer back any block of the file. The freed
     * space stays pending until the next commit unless {@code neverCommitted} (an undo within one operation).
     */
    public void free(long from, long to, boolean neverCommitted) {
        List<Extent> gone = map.unmap(from, to);
        long lastLc = -1;
        for (Extent e : gone) {
            if (cpc == 1) {
                release(e.pblk(), e.len(), neverCommitted);
                continue;
            }
            for (long lc = e.lblk() / cpc; lc <= (e.end() - 1) / cpc; lc++) {
                if (lc != lastLc && physicalCluster(lc) < 0) {
                    long b = Math.max(e.lblk(), lc * cpc);
                    release((e.pblk() + (b - e.lblk())) / cpc, 1, neverCommitted);
                }
                lastLc = lc;
            }
        }
    }

    /**
     * COLLAPSE_RANGE: unmaps blocks [from, to), frees their clusters (pending until the next commit) and moves
     * every later block left by {@code to - from}. Without bigalloc in one pass over the map; with it the
     * clusters still backing other blocks are looked up before the shift.
     */
    public void collapse(long from, long to) {
        if (cpc != 1) {
            free(from, to, false);
            map.tree().shift(to, from - to);
            map.remerge(from);
            return;
        }
        for (Extent e : map.collapse(from, to - from)) {
            release(e.pblk(), e.len(), false);
        }
    }

    private void release(long start, long len, boolean now) {
        if (now) {
            alloc.releaseNow(start, len);
        } else {
            alloc.release(start, len);
        }
    }

    /** Clusters backing the file (st_blocks counts these, including unwritten and post-EOF ones). */
    public long clustersMapped() {
        if (cpc == 1) {
            return map.mappedUnits();
        }
        long count = 0;
        long lastLc = -1;
        for (Extent e : map.all()) {
            long first = e.lblk() / cpc;
            long last = (e.end() - 1) / cpc;
            count += last - first + 1 - (first == lastLc ? 1 : 0);
            lastLc = last;
        }
        return count;
    }

    /** ENOSPC in the middle of an allocation: {@link #stoppedAt} is the first block that got no space. */
    public static final class PartialAllocation extends KernelException {
        private static final long serialVersionUID = 1L;
        private final transient long stoppedAt;
        private final transient List<Extent> added;

        PartialAllocation(long stoppedAt, List<Extent> added) {
            super(Errno.ENOSPC, "fallocate failed");
            this.stoppedAt = stoppedAt;
            this.added = added;
        }

        public long stoppedAt() {
            return stoppedAt;
        }

        public List<Extent> added() {
            return added;
        }
    }
}
