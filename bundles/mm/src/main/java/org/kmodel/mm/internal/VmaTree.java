package org.kmodel.mm.internal;

/**
 * The mm_rb tree (lib/rbtree.c as mm/mmap.c uses it): an intrusive red-black tree of non-overlapping VMAs
 * ordered by start, over primitive longs, so a lookup boxes nothing. Callers hold mmap_sem (write for
 * {@link #insert}/{@link #erase}). Bounds may change in place as long as the order of VMAs does not, as
 * vma_adjust() relies on.
 */
final class VmaTree {
    private Vma root;
    private int size;

    int size() {
        return size;
    }

    Vma root() {
        return root;
    }

    /**
     * find_vma()'s walk (mm/mmap.c): the first VMA with {@code end > addr}. Descend left whenever a node ends
     * above addr (it is a candidate, and something further left may be a better one), stop early once the
     * candidate also starts at or below addr.
     */
    Vma findVma(long addr) {
        Vma node = root;
        Vma found = null;
        while (node != null) {
            if (node.end > addr) {
                found = node;
                if (node.start <= addr) {
                    break;
                }
                node = node.left;
            } else {
                node = node.right;
            }
        }
        return found;
    }

    /** The last VMA with {@code start < addr} (the {@code prev} of find_vma_links), or null. */
    Vma findPrev(long addr) {
        Vma node = root;
        Vma found = null;
        while (node != null) {
            if (node.start < addr) {
                found = node;
                node = node.right;
            } else {
                node = node.left;
            }
        }
        return found;
    }

    void insert(Vma v) {
        Vma parent = null;
        Vma x = root;
        while (x != null) {
            parent = x;
            x = v.start < x.start ? x.left : x.right;
        }
        v.parent = parent;
        v.left = null;
        v.right = null;
        v.red = true;
        if (parent == null) {
            root = v;
        } else if (v.start < parent.start) {
            parent.left = v;
        } else {
            parent.right = v;
        }
        size++;
        insertFixup(v);
    }

    private void insertFixup(Vma z) {
        while (z.parent != null && z.parent.red) {
            Vma p = z.parent;
            Vma g = p.parent;
            if (p == g.left) {
                Vma u = g.right;
                if (u != null && u.red) {
                    p.red = false;
                    u.red = false;
                    g.red = true;
                    z = g;
                } else {
                    if (z == p.right) {
                        z = p;
                        rotateLeft(z);
                        p = z.parent;
                    }
                    p.red = false;
                    g.red = true;
                    rotateRight(g);
                }
            } else {
                Vma u = g.left;
                if (u != null && u.red) {
                    p.red = false;
                    u.red = false;
                    g.red = true;
                    z = g;
                } else {
                    if (z == p.left) {
                        z = p;
                        rotateRight(z);
                        p = z.parent;
                    }
                    p.red = false;
                    g.red = true;
                    rotateLeft(g);
                }
            }
        }
        root.red = false;
    }

    void erase(Vma z) {
        Vma x;
        Vma xParent;
        boolean removedRed;
        if (z.left == null || z.right == null) {
            x = z.left != null ? z.left : z.right;
            xParent = z.parent;
            removedRed = z.red;
            transplant(z, x);
        } else {
            Vma y = z.right;
            while (y.left != null) {
                y = y.left;
            }
            removedRed = y.red;
            x = y.right;
            if (y.parent == z) {
                xParent = y;
            } else {
                xParent = y.parent;
                transplant(y, y.right);
                y.right = z.right;
                y.right.parent = y;
            }
            transplant(z, y);
            y.left = z.left;
            y.left.parent = y;
            y.red = z.red;
        }
        z.left = null;
        z.right = null;
        z.parent = null;
        size--;
        if (!removedRed) {
            eraseFixup(x, xParent);
        }
    }

    private void eraseFixup(Vma x, Vma parent) {
        while (x != root && (x == null || !x.red)) {
            if (x == parent.left) {
                Vma w = parent.right;
                if (w.red) {
                    w.red = false;
                    parent.red = true;
                    rotateLeft(parent);
                    w = parent.right;
                }
                if (!isRed(w.left) && !isRed(w.right)) {
                    w.red = true;
                    x = parent;
                    parent = x.parent;
                } else {
                    if (!isRed(w.right)) {
                        w.left.red = false;
                        w.red = true;
                        rotateRight(w);
                        w = parent.right;
                    }
                    w.red = parent.red;
                    parent.red = false;
                    w.right.red = false;
                    rotateLeft(parent);
                    x = root;
                    parent = null;
                }
            } else {
                Vma w = parent.left;
                if (w.red) {
                    w.red = false;
                    parent.red = true;
                    rotateRight(parent);
                    w = parent.left;
                }
                if (!isRed(w.left) && !isRed(w.right)) {
                    w.red = true;
                    x = parent;
                    parent = x.parent;
                } else {
                    if (!isRed(w.left)) {
                        w.right.red = false;
                        w.red = true;
                        rotateLeft(w);
                        w = parent.left;
                    }
                    w.red = parent.red;
                    parent.red = false;
                    w.left.red = false;
                    rotateRight(parent);
                    x = root;
                    parent = null;
                }
            }
        }
        if (x != null) {
            x.red = false;
        }
    }

    private static boolean isRed(Vma v) {
        return v != null && v.red;
    }

    private void transplant(Vma u, Vma v) {
        if (u.parent == null) {
            root = v;
        } else if (u == u.parent.left) {
            u.parent.left = v;
        } else {
            u.parent.right = v;
        }
        if (v != null) {
            v.parent = u.parent;
        }
    }

    private void rotateLeft(Vma x) {
        Vma y = x.right;
        x.right = y.left;
        if (y.left != null) {
            y.left.parent = x;
        }
        y.parent = x.parent;
        if (x.parent == null) {
            root = y;
        } else if (x == x.parent.left) {
            x.parent.left = y;
        } else {
            x.parent.right = y;
        }
        y.left = x;
        x.parent = y;
    }

    private void rotateRight(Vma x) {
        Vma y = x.left;
        x.left = y.right;
        if (y.right != null) {
            y.right.parent = x;
        }
        y.parent = x.parent;
        if (x.parent == null) {
            root = y;
        } else if (x == x.parent.right) {
            x.parent.right = y;
        } else {
            x.parent.left = y;
        }
        y.right = x;
        x.parent = y;
    }

    /**
     * browse_rb()/validate_mm() (mm/mmap.c, CONFIG_DEBUG_VM_RB): root black, no red node with a red child,
     * equal black height, in-order sorted and non-overlapping, node count equal to size, parent links right.
     * Returns null if valid, else what is wrong.
     */
    String validate() {
        if (root != null && (root.red || root.parent != null)) {
            return "root is red or has a parent";
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
        return count[0] == size ? null : "size " + size + " but " + count[0] + " nodes";
    }

    private int check(Vma n, int[] count, long[] lastEnd, String[] err) {
        if (n == null) {
            return 1;
        }
        if (n.red && (isRed(n.left) || isRed(n.right))) {
            err[0] = "red node with red child at " + n;
        }
        if (n.left != null && n.left.parent != n || n.right != null && n.right.parent != n) {
            err[0] = "bad parent link at " + n;
        }
        int l = check(n.left, count, lastEnd, err);
        count[0]++;
        if (n.start >= n.end || n.start < lastEnd[0]) {
            err[0] = "unsorted, empty or overlapping VMA " + n;
        }
        lastEnd[0] = n.end;
        int r = check(n.right, count, lastEnd, err);
        if (l < 0 || r < 0 || l != r) {
            return -1;
        }
        return l + (n.red ? 0 : 1);
    }
}
