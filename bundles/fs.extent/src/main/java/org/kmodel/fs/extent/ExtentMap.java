package org.kmodel.fs.extent;

import java.util.ArrayList;
import java.util.List;

/**
 * A file's block map with the operations fallocate needs, in allocation units (blocks, or clusters on
 * ext4 bigalloc). Extent lengths never exceed the filesystem's maximum for their state (ext4: 32768
 * written / 32767 unwritten, EXT_INIT_MAX_LEN / EXT_UNWRITTEN_MAX_LEN in fs/ext4/ext4_extents.h; xfs:
 * XFS_MAX_BMBT_EXTLEN = 2^21 - 1 in fs/xfs/libxfs/xfs_format.h). Neighbours that are logically and
 * physically contiguous with the same state are merged, as ext4_ext_try_to_merge and xfs_bmap_add_extent_*
 * do, so repeated insert/collapse cycles do not fragment the map (xfstests generic/064).
 */
public final class ExtentMap {
    private final ExtentTree tree = new ExtentTree();
    private final long maxWritten;
    private final long maxUnwritten;

    public ExtentMap(long maxWritten, long maxUnwritten) {
        this.maxWritten = maxWritten;
        this.maxUnwritten = maxUnwritten;
    }

    public long maxLen(boolean unwritten) {
        return unwritten ? maxUnwritten : maxWritten;
    }

    public ExtentTree tree() {
        return tree;
    }

    public long mappedUnits() {
        return tree.mappedUnits();
    }

    public int extentCount() {
        return tree.size();
    }

    public Extent lookup(long u) {
        return tree.lookup(u);
    }

    public List<Extent> all() {
        return tree.all();
    }

    public List<Extent> overlapping(long from, long to) {
        return from >= to ? List.of() : tree.overlapping(from, to);
    }

    /** The first extent ending after {@code u} (the one containing it, or the next), or null. */
    public Extent nextFrom(long u) {
        Extent e = tree.lookup(u);
        return e != null ? e : tree.ceiling(u);
    }

    public Extent last() {
        return tree.last();
    }

    /** Makes {@code u} an extent boundary: an extent straddling it is cut in two (ext4_split_extent_at). */
    public void splitAt(long u) {
        Extent e = tree.lookup(u);
        if (e == null || e.lblk() == u) {
            return;
        }
        tree.remove(e.lblk());
        long head = u - e.lblk();
        tree.insert(new Extent(e.lblk(), head, e.pblk(), e.unwritten()));
        tree.insert(new Extent(u, e.len() - head, e.pblk() + head, e.unwritten()));
    }

    /** Unmaps [from, to) and returns the physical ranges that were mapped there (to be freed). */
    public List<Extent> unmap(long from, long to) {
        if (from >= to) {
            return List.of();
        }
        Extent last = tree.last();
        if (last == null || last.end() <= from) {
            return List.of(); // nothing mapped there (xfs frees past EOF after every collapse): one path, no splits
        }
        splitAt(from);
        splitAt(to);
        return tree.removeStarting(from, to);
    }

    /** Maps a new extent over a hole, merging it with contiguous neighbours of the same state. */
    public void map(Extent e) {
        Extent prev = e.lblk() > 0 ? tree.lookup(e.lblk() - 1) : null;
        long lblk = e.lblk();
        long pblk = e.pblk();
        long len = e.len();
        if (prev != null
                && prev.end() == lblk
                && prev.pend() == pblk
                && prev.unwritten() == e.unwritten()
                && prev.len() + len <= maxLen(e.unwritten())) {
            tree.remove(prev.lblk());
            lblk = prev.lblk();
            pblk = prev.pblk();
            len += prev.len();
        }
        Extent next = tree.lookup(lblk + len);
        if (next != null
                && next.lblk() == lblk + len
                && next.pblk() == pblk + len
                && next.unwritten() == e.unwritten()
                && next.len() + len <= maxLen(e.unwritten())) {
            tree.remove(next.lblk());
            len += next.len();
        }
        tree.insert(new Extent(lblk, len, pblk, e.unwritten()));
    }

    /**
     * Sets the state of every mapped unit in [from, to): the end_io conversion of a write
     * (ext4_convert_unwritten_extents, xfs_iomap_write_unwritten) or ZERO_RANGE turning written blocks
     * into unwritten ones. Holes stay holes.
     */
    public void setState(long from, long to, boolean unwritten) {
        if (from >= to) {
            return;
        }
        List<Extent> hit = overlapping(from, to);
        if (hit.stream().allMatch(x -> x.unwritten() == unwritten)) {
            return;
        }
        splitAt(from);
        splitAt(to);
        // Coalesce contiguous pieces first, then cut at the maximum length of the new state.
        List<Extent> runs = new ArrayList<>();
        for (Extent e : tree.removeStarting(from, to)) {
            Extent last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.end() == e.lblk() && last.pend() == e.pblk()) {
                runs.set(runs.size() - 1, new Extent(last.lblk(), last.len() + e.len(), last.pblk(), unwritten));
            } else {
                runs.add(e);
            }
        }
        for (Extent e : runs) {
            for (long off = 0; off < e.len(); off += maxLen(unwritten)) {
                long n = Math.min(maxLen(unwritten), e.len() - off);
                map(new Extent(e.lblk() + off, n, e.pblk() + off, unwritten));
            }
        }
        remerge(from);
        remerge(to);
    }

    /** Joins the extent ending at {@code u} with the one starting there, if they are contiguous. */
    public void remerge(long u) {
        Extent at = tree.lookup(u);
        if (at != null && at.lblk() == u && u > 0) {
            Extent prev = tree.lookup(u - 1);
            if (prev != null
                    && prev.end() == u
                    && prev.pend() == at.pblk()
                    && prev.unwritten() == at.unwritten()
                    && prev.len() + at.len() <= maxLen(at.unwritten())) {
                tree.remove(at.lblk());
                tree.remove(prev.lblk());
                tree.insert(new Extent(prev.lblk(), prev.len() + at.len(), prev.pblk(), at.unwritten()));
            }
        }
    }

    /**
     * COLLAPSE_RANGE on the map: unmap [from, from+count), move every extent after it left by count and join
     * the extents that meet at {@code from} (O(log n) in one pass, see {@link ExtentTree#collapse}). Returns the
     * unmapped extents.
     */
    public List<Extent> collapse(long from, long count) {
        return tree.collapse(from, from + count, maxWritten, maxUnwritten);
    }

    /** INSERT_RANGE on the map: split at {@code from} and move everything from there right by count. */
    public void insert(long from, long count) {
        splitAt(from);
        tree.shift(from, count);
    }

    /** The holes in [from, to), as [start, end) pairs. */
    public List<long[]> holes(long from, long to) {
        List<long[]> out = new ArrayList<>();
        long pos = from;
        for (Extent e : overlapping(from, to)) {
            if (e.lblk() > pos) {
                out.add(new long[] {pos, e.lblk()});
            }
            pos = Math.max(pos, e.end());
        }
        if (pos < to) {
            out.add(new long[] {pos, to});
        }
        return out;
    }
}
