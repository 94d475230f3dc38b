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

    /** Splits into (keys < key, keys >= key). */
    private Node[] split(Node t, long key) {
        if (t == null) {
            return new Node[2];
        }
        push(t);
        if (t.lblk < key) {
            Node[] r = split(t.right, key);
            t.right = r[0];
            return new Node[] {t, r[1]};
        }
        Node[] l = split(t.left, key);
        t.left = l[1];
        return new Node[] {l[0], t};
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
        Node[] lr = split(root, e.lblk());
        root = merge(merge(lr[0], new Node(e.lblk(), e.len(), e.pblk(), e.unwritten(), nextPrio())), lr[1]);
        size++;
        mappedUnits += e.len();
    }

    /** Removes the extent starting exactly at {@code lblk}; returns it, or null. */
    public Extent remove(long lblk) {
        Node[] lr = split(root, lblk);
        Node[] mr = split(lr[1], lblk + 1);
        Extent gone = null;
        if (mr[0] != null) {
            gone = mr[0].extent();
            size--;
            mappedUnits -= gone.len();
        }
        root = merge(lr[0], mr[1]);
        return gone;
    }

    /** Removes and returns every extent whose start lies in [from, to), in order. */
    public List<Extent> removeStarting(long from, long to) {
        Node[] lr = split(root, from);
        Node[] mr = split(lr[1], to);
        List<Extent> out = new ArrayList<>();
        collect(mr[0], out::add);
        for (Extent e : out) {
            size--;
            mappedUnits -= e.len();
        }
        root = merge(lr[0], mr[1]);
        return out;
    }

    /** Adds {@code delta} to the logical start of every extent starting at or after {@code from}. */
    public void shift(long from, long delta) {
        Node[] lr = split(root, from);
        if (lr[1] != null) {
            lr[1].lblk += delta;
            lr[1].lazy += delta;
        }
        root = merge(lr[0], lr[1]);
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
        Node[] lr = split(root, from);
        Node[] mr = split(lr[1], to);
        collect(mr[0], e -> {
            if (first == null || e.lblk() != first.lblk()) {
                out.add(e);
            }
        });
        root = merge(merge(lr[0], mr[0]), mr[1]);
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
        Node n = root;
        if (n == null) {
            return null;
        }
        push(n);
        while (n.right != null) {
            n = n.right;
            push(n);
        }
        return n.extent();
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
