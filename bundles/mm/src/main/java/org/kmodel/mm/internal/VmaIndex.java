package org.kmodel.mm.internal;

/**
 * A read-only copy of the mm_rb tree's order for find_vma(): the VMAs' end addresses in Eytzinger (BFS)
 * order, searched without branches on the data. No kernel counterpart: the kernel's rb walk is the model and
 * {@link VmaTree} stays the authority; this is the simulator's way to meet issue 3's miss-path target at
 * 10,000 VMAs, where the rb walk is bound by a mispredicted branch and a dependent load per level.
 * Immutable once built, so readers under mmap_sem for read may share it; {@link VmaTree} decides when it is
 * current.
 */
final class VmaIndex {
    /** The generation of the tree this copy was built from. */
    final long generation;
    /** ends[k], k = 1..n, in Eytzinger order (children of k at 2k and 2k+1); ends[0] unused. */
    private final long[] ends;

    private final Vma[] vmas;

    /** {@code sorted} in address order (each end above the previous one, as VMAs do not overlap). */
    VmaIndex(long generation, Vma[] sorted) {
        this.generation = generation;
        int n = sorted.length;
        ends = new long[n + 1];
        vmas = new Vma[n + 1];
        fill(sorted, 0, 1);
    }

    private int fill(Vma[] sorted, int i, int k) {
        if (k < ends.length) {
            i = fill(sorted, i, 2 * k);
            ends[k] = sorted[i].end;
            vmas[k] = sorted[i];
            i++;
            i = fill(sorted, i, 2 * k + 1);
        }
        return i;
    }

    /**
     * The first VMA with {@code end > addr}, or null: descend to a leaf taking the right child while
     * {@code ends[k] <= addr}; the answer is the last node where the walk went left, found by dropping the
     * trailing right turns (trailing one bits) and that left turn from k.
     */
    Vma findVma(long addr) {
        long[] e = ends;
        int n = e.length;
        int k = 1;
        while (k < n) {
            k = 2 * k + (e[k] <= addr ? 1 : 0);
        }
        k >>>= Integer.numberOfTrailingZeros(~k) + 1;
        return vmas[k]; // k == 0 (never went left): no VMA ends above addr; vmas[0] is null
    }

    /** For VmaTree.validate(): null if this copy lists exactly {@code sorted} with their current ends. */
    String check(Vma[] sorted) {
        if (sorted.length != ends.length - 1) {
            return "index has " + (ends.length - 1) + " VMAs, tree " + sorted.length;
        }
        VmaIndex fresh = new VmaIndex(generation, sorted);
        for (int k = 1; k < ends.length; k++) {
            if (fresh.vmas[k] != vmas[k] || fresh.ends[k] != ends[k]) {
                return "index out of step with the tree at " + vmas[k];
            }
        }
        return null;
    }
}
