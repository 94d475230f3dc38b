package org.kmodel.fs.extent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ordered set of a file's extents, as the ext4 extent tree (fs/ext4/extents.c) and the xfs bmap btree
 * (fs/xfs/libxfs/xfs_bmap.c) keep it, but built so that a shift is cheap: a treap whose logical keys are
 * stored relative to a lazy offset on the path from the root. {@link #shift} splits the tree at the offset,
 * adds the delta to the root of the right part and joins again, visiting O(log n) nodes. The kernel instead
 * rewrites every extent after the offset (ext4_ext_shift_extents, xfs_bmap_collapse_extents one transaction
 * per extent); that is why its collapse cost grows with the extents to the right and ours does not.
 *
 * <p>Invariants: extents do not overlap; in-order traversal gives increasing {@code lblk}. Callers split
 * an extent that straddles a shift point first, and make room before shifting left.
 */
public final class ExtentTree {
    private static final class Node {
        long lblk; // true key = lblk + pending lazy deltas of the ancestors
        long len;
        long pblk;
        boolean unwritten;
        final int prio;
        long lazy; // delta still owed to both children's subtrees
        Node left;
        Node right;

        Node(long lblk, long len, long pblk, boolean unwritten, int prio) {
            this.lblk = lblk;
            this.len = len;
            this.pblk = pblk;
            this.unwritten = unwritten;
            this.prio = prio;
        }

        Extent extent() {
            return new Extent(lblk, len, pblk, unwritten);
        }
    }

    private Node root;
    private int size;
    private long mappedUnits;
    private int seed = 0x2545F491;
    /** Nodes touched since creation: the cost measure the shift test asserts on (not time). */
    private long visits;

    public int size() {
        return size;
    }

    /** Units mapped by all extents (written and unwritten): what st_blocks counts. */
    public long mappedUnits() {
        return mappedUnits;
    }

    public long visits() {
        return visits;
    }

    private int nextPrio() {
        // xorshift: deterministic priorities make node-visit counts reproducible in tests.
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        return seed;
    }

    private void push(Node n) {
        visits++;
        if (n.lazy != 0) {
            if (n.left != null) {
                n.left.lblk += n.lazy;
                n.left.lazy += n.lazy;
            }
            if (n.right != null) {
                n.right.lblk += n.lazy;
                n.right.lazy += n.lazy;
            }
            n.lazy = 0;
        }
    }

    /** The two halves of the last {@link #split}: keys &lt; key, keys &gt;= key (fields, so a split allocates nothing). */
    private Node splitLeft;

    private Node splitRight;

    /** Splits into {@link #splitLeft} (keys &lt; key) and {@link #splitRight} (keys &gt;= key). */
    private void split(Node t, long key) {
        if (t == null) {
            splitLeft = null;
            splitRight = null;
            return;
        }
        push(t);
        if (t.lblk < key) {
            split(t.right, key);
            t.right = splitLeft;
            splitLeft = t;
        } else {
            split(t.left, key);
            t.left = splitRight;
            splitRight = t;
        }
    }

    private Node merge(Node a, Node b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.prio > b.prio) {
            push(a);
            a.right = merge(a.right, b);
            return a;
        }
        push(b);
        b.left = merge(a, b.left);
        return b;
    }

    /** Adds an extent; it must not overlap any present one (not checked beyond neighbours, for speed). */
    public void insert(Extent e) {
        if (e.len() <= 0) {
            throw new IllegalArgumentException("empty extent " + e);
        }
        split(root, e.lblk());
        Node r = splitRight;
        root = merge(merge(splitLeft, new Node(e.lblk(), e.len(), e.pblk(), e.unwritten(), nextPrio())), r);
        size++;
        mappedUnits += e.len();
    }

    /** Removes the extent starting exactly at {@code lblk}; returns it, or null. */
    public Extent remove(long lblk) {
        split(root, lblk);
        Node l = splitLeft;
        split(splitRight, lblk + 1);
        Extent gone = null;
        if (splitLeft != null) {
            gone = splitLeft.extent();
            size--;
            mappedUnits -= gone.len();
        }
        root = merge(l, splitRight);
        return gone;
    }

    /** Removes and returns every extent whose start lies in [from, to), in order. */
    public List<Extent> removeStarting(long from, long to) {
        split(root, from);
        Node l = splitLeft;
        split(splitRight, to);
        List<Extent> out = new ArrayList<>();
        collect(splitLeft, out::add);
        for (Extent e : out) {
            size--;
            mappedUnits -= e.len();
        }
        root = merge(l, splitRight);
        return out;
    }

    /** Adds {@code delta} to the logical start of every extent starting at or after {@code from}. */
    public void shift(long from, long delta) {
        split(root, from);
        Node r = splitRight;
        if (r != null) {
            r.lblk += delta;
            r.lazy += delta;
        }
        root = merge(splitLeft, r);
    }

    /**
     * COLLAPSE_RANGE in one pass: removes units [from, to) (cutting the extents that straddle either end, as
     * ext4_split_extent_at does), moves every later extent left by {@code to - from}, and joins the extent ending
     * at {@code from} with the one that lands there when they are contiguous with the same state and fit in
     * {@code maxWritten}/{@code maxUnwritten}. Two splits, the spines next to the cut and one merge: a constant
     * number of root-to-leaf paths, where unmap + shift + remerge as separate calls walk about three times as
     * many. Returns the removed pieces in order.
     */
    public List<Extent> collapse(long from, long to, long maxWritten, long maxUnwritten) {
        List<Extent> out = new ArrayList<>();
        if (from >= to) {
            return out;
        }
        split(root, from);
        Node left = splitLeft;
        Node right = splitRight;
        Node prev = rightmost(left);
        if (prev != null && prev.lblk + prev.len > from) {
            // the extent before the range reaches into it: its tail starts the removed part
            long head = from - prev.lblk;
            right = merge(new Node(from, prev.len - head, prev.pblk + head, prev.unwritten, nextPrio()), right);
            prev.len = head;
            size++;
        }
        split(right, to);
        Node mid = splitLeft;
        right = splitRight;
        Node last = rightmost(mid);
        if (last != null && last.lblk + last.len > to) {
            // the last removed extent reaches past the range: its tail stays
            long head = to - last.lblk;
            right = merge(new Node(to, last.len - head, last.pblk + head, last.unwritten, nextPrio()), right);
            last.len = head;
            size++;
        }
        collect(mid, out::add);
        for (Extent e : out) {
            size--;
            mappedUnits -= e.len();
        }
        long delta = from - to;
        if (right != null) {
            right.lblk += delta;
            right.lazy += delta;
            Node next = leftmost(right);
            if (prev != null
                    && prev.lblk + prev.len == from
                    && next.lblk == from
                    && prev.pblk + prev.len == next.pblk
                    && prev.unwritten == next.unwritten
                    && prev.len + next.len <= (next.unwritten ? maxUnwritten : maxWritten)) {
                prev.len += next.len;
                right = removeLeftmost(right);
                size--;
            }
        }
        root = merge(left, right);
        return out;
    }

    private Node rightmost(Node n) {
        if (n == null) {
            return null;
        }
        push(n);
        while (n.right != null) {
            n = n.right;
            push(n);
        }
        return n;
    }

    private Node leftmost(Node n) {
        push(n);
        while (n.left != null) {
            n = n.left;
            push(n);
        }
        return n;
    }

    private Node removeLeftmost(Node t) {
        push(t);
        if (t.left == null) {
            return t.right;
        }
        t.left = removeLeftmost(t.left);
        return t;
    }

    /** The extent with the greatest start &lt;= lblk, or null. */
    public Extent floor(long lblk) {
        Node n = root;
        Node best = null;
        while (n != null) {
            push(n);
            if (n.lblk <= lblk) {
                best = n;
                n = n.right;
            } else {
                n = n.left;
            }
        }
        return best == null ? null : best.extent();
    }

    /** The extent with the smallest start &gt;= lblk, or null. */
    public Extent ceiling(long lblk) {
        Node n = root;
        Node best = null;
        while (n != null) {
            push(n);
            if (n.lblk >= lblk) {
                best = n;
                n = n.left;
            } else {
                n = n.right;
            }
        }
        return best == null ? null : best.extent();
    }

    /** The extent containing {@code lblk}, or null (a hole). */
    public Extent lookup(long lblk) {
        Extent f = floor(lblk);
        return f != null && f.end() > lblk ? f : null;
    }

    /** The extents overlapping [from, to), in order. */
    public List<Extent> overlapping(long from, long to) {
        List<Extent> out = new ArrayList<>();
        Extent first = lookup(from);
        if (first != null) {
            out.add(first);
        }
        split(root, from);
        Node l = splitLeft;
        split(splitRight, to);
        Node m = splitLeft;
        Node r = splitRight;
        collect(m, e -> {
            if (first == null || e.lblk() != first.lblk()) {
                out.add(e);
            }
        });
        root = merge(merge(l, m), r);
        return out;
    }

    /** Every extent, in order. */
    public List<Extent> all() {
        List<Extent> out = new ArrayList<>(size);
        collect(root, out::add);
        return out;
    }

    /** The last extent, or null. */
    public Extent last() {
        Node n = rightmost(root);
        return n == null ? null : n.extent();
    }

    private void collect(Node n, Consumer<Extent> sink) {
        if (n == null) {
            return;
        }
        push(n);
        collect(n.left, sink);
        sink.accept(n.extent());
        collect(n.right, sink);
    }
}
