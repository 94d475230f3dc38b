package org.kmodel.fs.extent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Free space of one filesystem in allocation units, as free extents by start (the xfs by-bno btree, the
 * ext4 block bitmaps seen as runs). Space freed by the running transaction is only <em>pending</em>: it
 * cannot be handed out again until the transaction that freed it is durable (jbd2 keeps such blocks busy
 * until commit, xfs has the busy-extent list, fs/xfs/xfs_extent_busy.c). Otherwise a crash could leave the
 * old metadata pointing at a block another file has already written: stale data exposure.
 */
public final class SpaceAllocator {
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private final List<long[]> pending = new ArrayList<>();
    private final long first;
    private final long end;
    private long freeUnits;
    private long pendingUnits;
    /** Told of every range whose state changes: the ext4 format keeps its block bitmaps with it. */
    public interface Listener {
        /** Units [start, start + len) became used, or free (pending frees included: free on disk at commit). */
        void changed(long start, long len, boolean used);
    }

    private Listener listener = (a, b, c) -> {};

    /**
     * Units the next commit may still have to allocate for metadata (ext4: extent-tree blocks, which the model
     * lays out at commit). Data allocations leave them free so that the commit, forced or not, always completes:
     * the kernel takes such blocks from its reserved pool (fs/ext4/super.c ext4_calculate_resv_clusters,
     * fs/ext4/balloc.c ext4_has_free_clusters with EXT4_MB_USE_RESERVED for EXT4_GET_BLOCKS_METADATA_NOFAIL).
     */
    private java.util.function.LongSupplier metadataFloor = () -> 0;

    public void listener(Listener l) {
        this.listener = l;
    }

    /** Sets the units data allocations must leave free for the next commit's metadata (see the field). */
    public void metadataFloor(java.util.function.LongSupplier floor) {
        this.metadataFloor = floor;
    }

    /** Units a data allocation may take now: the free ones less those held for the next commit's metadata. */
    public long freeForData() {
        return Math.max(0, freeUnits - metadataFloor.getAsLong());
    }

    /** Units [first, end) are the data area; all free at start. */
    public SpaceAllocator(long first, long end) {
        this.first = first;
        this.end = end;
        if (end > first) {
            free.put(first, end - first);
            freeUnits = end - first;
        }
    }

    public long firstUnit() {
        return first;
    }

    public long endUnit() {
        return end;
    }

    /** Units that can be allocated now. */
    public long freeUnits() {
        return freeUnits;
    }

    /** Units freed by the running transaction, allocatable after the next commit. */
    public long pendingUnits() {
        return pendingUnits;
    }

    /**
     * Allocates up to {@code want} contiguous units, preferring to start at {@code goal} (to extend the
     * previous extent, as ext4_ext_find_goal and xfs_bmap_adjacent do), else the first free run at or after
     * the goal, else the first free run. Returns {start, len} or null when nothing is free.
     */
    public long[] allocate(long want, long goal) {
        long room = freeForData();
        if (room <= 0) {
            return null;
        }
        return allocateMetadata(Math.min(want, room), goal);
    }

    /**
     * As {@link #allocate}, for the metadata a commit writes: it may use the units data allocations leave free
     * (the kernel's EXT4_MB_USE_RESERVED).
     */
    public long[] allocateMetadata(long want, long goal) {
        if (want <= 0 || free.isEmpty()) {
            return null;
        }
        Map.Entry<Long, Long> run = free.floorEntry(goal);
        long start;
        if (run != null && run.getKey() + run.getValue() > goal) {
            start = goal;
        } else {
            run = free.ceilingEntry(goal);
            if (run == null) {
                run = free.firstEntry();
            }
            start = run.getKey();
        }
        long avail = run.getKey() + run.getValue() - start;
        long len = Math.min(want, avail);
        take(start, len);
        return new long[] {start, len};
    }

    /** Marks [start, start+len) used; it must be free (mount-time rebuild, metadata areas). */
    public void take(long start, long len) {
        Map.Entry<Long, Long> run = free.floorEntry(start);
        if (run == null || run.getKey() + run.getValue() < start + len) {
            throw new IllegalStateException("units " + start + "+" + len + " are not free");
        }
        long rs = run.getKey();
        long re = rs + run.getValue();
        free.remove(rs);
        if (rs < start) {
            free.put(rs, start - rs);
        }
        if (start + len < re) {
            free.put(start + len, re - start - len);
        }
        freeUnits -= len;
        listener.changed(start, len, true);
    }

    /** Frees a range at commit time (pending until {@link #commit()}). */
    public void release(long start, long len) {
        if (len > 0) {
            pending.add(new long[] {start, len});
            pendingUnits += len;
            listener.changed(start, len, false);
        }
    }

    /** Frees a range that no durable metadata ever referenced (undo of an allocation in the same operation). */
    public void releaseNow(long start, long len) {
        if (len <= 0) {
            return;
        }
        long s = start;
        long l = len;
        Map.Entry<Long, Long> prev = free.floorEntry(s);
        if (prev != null && prev.getKey() + prev.getValue() > s) {
            throw new IllegalStateException("double free of unit " + s);
        }
        if (prev != null && prev.getKey() + prev.getValue() == s) {
            free.remove(prev.getKey());
            s = prev.getKey();
            l += prev.getValue();
        }
        Long nextLen = free.get(start + len);
        if (nextLen != null) {
            free.remove(start + len);
            l += nextLen;
        }
        Map.Entry<Long, Long> next = free.ceilingEntry(s + 1);
        if (next != null && next.getKey() < s + l) {
            throw new IllegalStateException("double free of unit " + next.getKey());
        }
        free.put(s, l);
        freeUnits += len;
        listener.changed(start, len, false);
    }

    /**
     * Free runs (pending ones included: the transaction that freed them is the one being written) clipped
     * to [from, to), as {start, len}.
     */
    public List<long[]> freeRunsIn(long from, long to) {
        List<long[]> out = new ArrayList<>();
        Map.Entry<Long, Long> head = free.floorEntry(from);
        if (head != null && head.getKey() + head.getValue() > from) {
            out.add(clip(head.getKey(), head.getValue(), from, to));
        }
        for (Map.Entry<Long, Long> e : free.subMap(from, false, to, false).entrySet()) {
            out.add(clip(e.getKey(), e.getValue(), from, to));
        }
        for (long[] r : pending) {
            if (r[0] < to && r[0] + r[1] > from) {
                out.add(clip(r[0], r[1], from, to));
            }
        }
        return out;
    }

    private static long[] clip(long s, long l, long from, long to) {
        long a = Math.max(s, from);
        return new long[] {a, Math.min(s + l, to) - a};
    }

    /** Free runs now, pending ones counted apart (an upper bound of the runs the next checkpoint records). */
    public int runCount() {
        return free.size() + pending.size();
    }

    /** The transaction that freed the pending ranges is durable: make them allocatable. */
    public void commit() {
        for (long[] r : pending) {
            releaseNow(r[0], r[1]);
        }
        pending.clear();
        pendingUnits = 0;
    }

    /** Free runs including pending ones, for the on-disk free-space record: {start, len} pairs in order. */
    public List<long[]> runsAfterCommit() {
        TreeMap<Long, Long> all = new TreeMap<>(free);
        for (long[] r : pending) {
            all.put(r[0], r[1]);
        }
        List<long[]> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : all.entrySet()) {
            if (!out.isEmpty() && out.get(out.size() - 1)[0] + out.get(out.size() - 1)[1] == e.getKey()) {
                out.get(out.size() - 1)[1] += e.getValue();
            } else {
                out.add(new long[] {e.getKey(), e.getValue()});
            }
        }
        return out;
    }
}
