package org.kmodel.mm.internal;

import java.util.Arrays;

/**
 * The mm_rb tree (lib/rbtree.c as mm/mmap.c uses it): a red-black tree of non-overlapping VMAs ordered by
 * start. Callers hold mmap_sem (write for {@link #insert}/{@link #erase}). Bounds may change in place as long
 * as the order of VMAs does not, as vma_adjust() relies on ({@link Vma#setStart}/{@link Vma#setEnd} keep the
 * node's copies in step).
 *
 * <p>Layout: where the kernel embeds {@code vm_rb} in the VMA, the nodes here live in one {@code long[]} of
 * four words per node (start, end, left, right; children as int indices, 0 = none), compacted on erase, so the
 * find_vma() walk reads one 32-byte record per level from a dense array instead of chasing object pointers
 * through whole VMA objects (issue 3: the miss path at 10,000 VMAs). Parent links and colours, needed only
 * by the rebalancing, sit in separate arrays.
 */
final class VmaTree {
    private static final int NIL = 0;
    private static final int START = 0;
    private static final int END = 1;
    private static final int LEFT = 2;
    private static final int RIGHT = 3;

    /** Node i (1-based; 0 is the null node, never written) occupies words 4i .. 4i+3. */
    private long[] nodes = new long[4 * 16];

    private int[] parent = new int[16];
    private boolean[] red = new boolean[16];
    private Vma[] vmas = new Vma[16];
    private int root = NIL;
    private int size;
    /** Bumped by every insert, erase and in-place bounds change (all under mmap_sem for write). */
    private long generation;
    /**
     * The read-only Eytzinger copy, current while its generation equals {@link #generation}. Built by a reader
     * once enough lookups have followed the last change to pay for the O(n) copy, so mutation-heavy phases
     * stay on the O(log n) rb walk. Immutable and published through this volatile field: readers running
     * concurrently under mmap_sem for read may each build one; the last store wins, all are equal.
     */
    private volatile VmaIndex index;
    /** Lookups since the last change; a heuristic only, so lost increments between readers do no harm. */
    private int lookupsSinceChange;

    int size() {
        return size;
    }

    Vma root() {
        return vmas[root];
    }

    /**
     * find_vma()'s walk (mm/mmap.c): the first VMA with {@code end > addr}. Descend left whenever a node ends
     * above addr (it is a candidate, and something further left may be a better one), stop early once the
     * candidate also starts at or below addr. Answered from the {@link VmaIndex} copy when it is current.
     */
    Vma findVma(long addr) {
        VmaIndex ix = index;
        if (ix != null && ix.generation == generation) {
            return ix.findVma(addr);
        }
        if (++lookupsSinceChange > (size >> 1) + 8) {
            ix = new VmaIndex(generation, inOrder());
            index = ix;
            return ix.findVma(addr);
        }
        return rbWalk(addr);
    }

    /** Whether lookups are answered from a current {@link VmaIndex} (for tests). */
    boolean indexCurrent() {
        VmaIndex ix = index;
        return ix != null && ix.generation == generation;
    }

    /** The rb walk itself (the kernel's find_vma loop), always on the tree. */
    Vma rbWalk(long addr) {
        long[] n = nodes;
        int x = root;
        int found = NIL;
        while (x != NIL) {
            int b = x << 2;
            if (n[b + END] > addr) {
                found = x;
                if (n[b + START] <= addr) {
                    break;
                }
                x = (int) n[b + LEFT];
            } else {
                x = (int) n[b + RIGHT];
            }
        }
        return vmas[found]; // vmas[NIL] is null
    }

    /** The last VMA with {@code start < addr} (the {@code prev} of find_vma_links), or null. */
    Vma findPrev(long addr) {
        long[] n = nodes;
        int x = root;
        int found = NIL;
        while (x != NIL) {
            int b = x << 2;
            if (n[b + START] < addr) {
                found = x;
                x = (int) n[b + RIGHT];
            } else {
                x = (int) n[b + LEFT];
            }
        }
        return vmas[found];
    }

    /** Called by Vma's setters when a linked VMA's bounds change in place. */
    void boundsChanged(Vma v) {
        changed();
        int b = v.node << 2;
        nodes[b + START] = v.start;
        nodes[b + END] = v.end;
    }

    private void changed() {
        generation++;
        lookupsSinceChange = 0;
    }

    /** The VMAs in address order (an in-order walk with an explicit stack). */
    private Vma[] inOrder() {
        Vma[] out = new Vma[size];
        int[] stack = new int[64];
        int depth = 0;
        int x = root;
        int i = 0;
        while (x != NIL || depth > 0) {
            while (x != NIL) {
                stack[depth++] = x;
                x = left(x);
            }
            x = stack[--depth];
            out[i++] = vmas[x];
            x = right(x);
        }
        return out;
    }

    private long start(int x) {
        return nodes[(x << 2) + START];
    }

    private int left(int x) {
        return (int) nodes[(x << 2) + LEFT];
    }

    private int right(int x) {
        return (int) nodes[(x << 2) + RIGHT];
    }

    private void setLeft(int x, int c) {
        nodes[(x << 2) + LEFT] = c;
    }

    private void setRight(int x, int c) {
        nodes[(x << 2) + RIGHT] = c;
    }

    void insert(Vma v) {
        if (v.tree != null) {
            throw new IllegalStateException("VMA already in a tree: " + v);
        }
        changed();
        int z = allocate(v);
        int p = NIL;
        int x = root;
        while (x != NIL) {
            p = x;
            x = v.start < start(x) ? left(x) : right(x);
        }
        parent[z] = p;
        if (p == NIL) {
            root = z;
        } else if (v.start < start(p)) {
            setLeft(p, z);
        } else {
            setRight(p, z);
        }
        insertFixup(z);
    }

    /** A new red leaf at index size + 1, the arrays doubled when full. */
    private int allocate(Vma v) {
        int z = size + 1;
        if (z == vmas.length) {
            int cap = vmas.length * 2;
            nodes = Arrays.copyOf(nodes, 4 * cap);
            parent = Arrays.copyOf(parent, cap);
            red = Arrays.copyOf(red, cap);
            vmas = Arrays.copyOf(vmas, cap);
        }
        size = z;
        int b = z << 2;
        nodes[b + START] = v.start;
        nodes[b + END] = v.end;
        nodes[b + LEFT] = NIL;
        nodes[b + RIGHT] = NIL;
        parent[z] = NIL;
        red[z] = true;
        vmas[z] = v;
        v.tree = this;
        v.node = z;
        return z;
    }

    private void insertFixup(int z) {
        while (parent[z] != NIL && red[parent[z]]) {
            int p = parent[z];
            int g = parent[p];
            if (p == left(g)) {
                int u = right(g);
                if (u != NIL && red[u]) {
                    red[p] = false;
                    red[u] = false;
                    red[g] = true;
                    z = g;
                } else {
                    if (z == right(p)) {
                        z = p;
                        rotateLeft(z);
                        p = parent[z];
                    }
                    red[p] = false;
                    red[g] = true;
                    rotateRight(g);
                }
            } else {
                int u = left(g);
                if (u != NIL && red[u]) {
                    red[p] = false;
                    red[u] = false;
                    red[g] = true;
                    z = g;
                } else {
                    if (z == left(p)) {
                        z = p;
                        rotateRight(z);
                        p = parent[z];
                    }
                    red[p] = false;
                    red[g] = true;
                    rotateLeft(g);
                }
            }
        }
        red[root] = false;
    }

    void erase(Vma v) {
        if (v.tree != this) {
            throw new IllegalStateException("VMA not in this tree: " + v);
        }
        changed();
        int z = v.node;
        int x;
        int xParent;
        boolean removedRed;
        if (left(z) == NIL || right(z) == NIL) {
            x = left(z) != NIL ? left(z) : right(z);
            xParent = parent[z];
            removedRed = red[z];
            transplant(z, x);
        } else {
            int y = right(z);
            while (left(y) != NIL) {
                y = left(y);
            }
            removedRed = red[y];
            x = right(y);
            if (parent[y] == z) {
                xParent = y;
            } else {
                xParent = parent[y];
                transplant(y, right(y));
                setRight(y, right(z));
                parent[right(y)] = y;
            }
            transplant(z, y);
            setLeft(y, left(z));
            parent[left(y)] = y;
            red[y] = red[z];
        }
        if (!removedRed) {
            eraseFixup(x, xParent);
        }
        release(z);
        v.tree = null;
        v.node = NIL;
    }

    /** Frees the detached node z by moving the last node into its slot, keeping the array dense. */
    private void release(int z) {
        int last = size;
        if (z != last) {
            System.arraycopy(nodes, last << 2, nodes, z << 2, 4);
            parent[z] = parent[last];
            red[z] = red[last];
            Vma moved = vmas[last];
            vmas[z] = moved;
            moved.node = z;
            int p = parent[z];
            if (p == NIL) {
                root = z;
            } else if (left(p) == last) {
                setLeft(p, z);
            } else {
                setRight(p, z);
            }
            if (left(z) != NIL) {
                parent[left(z)] = z;
            }
            if (right(z) != NIL) {
                parent[right(z)] = z;
            }
        }
        vmas[last] = null;
        red[last] = false;
        size = last - 1;
    }

    private void eraseFixup(int x, int p) {
        while (x != root && (x == NIL || !red[x])) {
            if (x == left(p)) {
                int w = right(p);
                if (red[w]) {
                    red[w] = false;
                    red[p] = true;
                    rotateLeft(p);
                    w = right(p);
                }
                if (!red[left(w)] && !red[right(w)]) {
                    red[w] = true;
                    x = p;
                    p = parent[x];
                } else {
                    if (!red[right(w)]) {
                        red[left(w)] = false;
                        red[w] = true;
                        rotateRight(w);
                        w = right(p);
                    }
                    red[w] = red[p];
                    red[p] = false;
                    red[right(w)] = false;
                    rotateLeft(p);
                    x = root;
                    p = NIL;
                }
            } else {
                int w = left(p);
                if (red[w]) {
                    red[w] = false;
                    red[p] = true;
                    rotateRight(p);
                    w = left(p);
                }
                if (!red[left(w)] && !red[right(w)]) {
                    red[w] = true;
                    x = p;
                    p = parent[x];
                } else {
                    if (!red[left(w)]) {
                        red[right(w)] = false;
                        red[w] = true;
                        rotateLeft(w);
                        w = left(p);
                    }
                    red[w] = red[p];
                    red[p] = false;
                    red[left(w)] = false;
                    rotateRight(p);
                    x = root;
                    p = NIL;
                }
            }
        }
        if (x != NIL) {
            red[x] = false;
        }
    }

    private void transplant(int u, int v) {
        int pu = parent[u];
        if (pu == NIL) {
            root = v;
        } else if (u == left(pu)) {
            setLeft(pu, v);
        } else {
            setRight(pu, v);
        }
        if (v != NIL) {
            parent[v] = pu;
        }
    }

    private void rotateLeft(int x) {
        int y = right(x);
        setRight(x, left(y));
        if (left(y) != NIL) {
            parent[left(y)] = x;
        }
        int px = parent[x];
        parent[y] = px;
        if (px == NIL) {
            root = y;
        } else if (x == left(px)) {
            setLeft(px, y);
        } else {
            setRight(px, y);
        }
        setLeft(y, x);
        parent[x] = y;
    }

    private void rotateRight(int x) {
        int y = left(x);
        setLeft(x, right(y));
        if (right(y) != NIL) {
            parent[right(y)] = x;
        }
        int px = parent[x];
        parent[y] = px;
        if (px == NIL) {
            root = y;
        } else if (x == right(px)) {
            setRight(px, y);
        } else {
            setLeft(px, y);
        }
        setRight(y, x);
        parent[x] = y;
    }

    /**
     * browse_rb()/validate_mm() (mm/mmap.c, CONFIG_DEBUG_VM_RB): root black, no red node with a red child,
     * equal black height, in-order sorted and non-overlapping, node count equal to size, parent links right,
     * and each node's copy of the bounds equal to its VMA's. Returns null if valid, else what is wrong.
     */
    String validate() {
        if (root != NIL && (red[root] || parent[root] != NIL)) {
            return "root is red or has a parent";
        }
        if (red[NIL] || vmas[NIL] != null) {
            return "null node written";
        }
        int[] count = {0};
        long[] lastEnd = {Long.MIN_VALUE};
        String[] err = {null};
        int h = check(root, count, lastEnd, err);
        if (err[0] != null) {
            return err[0];
        }
        if (h < 0) {
            return "black heights differ";
        }
        if (count[0] != size) {
            return "size " + size + " but " + count[0] + " nodes";
        }
        VmaIndex ix = index;
        return ix != null && ix.generation == generation ? ix.check(inOrder()) : null;
    }

    private int check(int n, int[] count, long[] lastEnd, String[] err) {
        if (n == NIL) {
            return 1;
        }
        if (n > size) {
            err[0] = "node index " + n + " beyond size " + size;
            return -1;
        }
        Vma v = vmas[n];
        if (red[n] && (red[left(n)] || red[right(n)])) {
            err[0] = "red node with red child at " + v;
        }
        if (left(n) != NIL && parent[left(n)] != n || right(n) != NIL && parent[right(n)] != n) {
            err[0] = "bad parent link at " + v;
        }
        if (v.tree != this || v.node != n || v.start != start(n) || v.end != nodes[(n << 2) + END]) {
            err[0] = "node copy out of step with VMA " + v;
        }
        int l = check(left(n), count, lastEnd, err);
        count[0]++;
        if (v.start >= v.end || v.start < lastEnd[0]) {
            err[0] = "unsorted, empty or overlapping VMA " + v;
        }
        lastEnd[0] = v.end;
        int r = check(right(n), count, lastEnd, err);
        if (l < 0 || r < 0 || l != r) {
            return -1;
        }
        return l + (red[n] ? 0 : 1);
    }
}
