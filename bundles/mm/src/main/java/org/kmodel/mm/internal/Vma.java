package org.kmodel.mm.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;

/**
 * struct vm_area_struct (include/linux/mm_types.h): the VMA and its own red-black node, as the kernel embeds
 * {@code vm_rb} in the VMA, plus the {@code vm_next}/{@code vm_prev} list. Fields are written only with the
 * mm's mmap_sem held for write and read with it held for read, so plain fields suffice.
 */
final class Vma implements VmArea {
    long start;
    long end;
    int flags;
    long pgoff;
    final String file;
    final MmStruct mm;
    boolean linked;

    /** anon_vma identity (0 = none yet); anonForked: anon_vma_chain not singular (VMA copied by fork). */
    long anonVma;

    boolean anonForked;

    /**
     * The tree holding this VMA and its node index there (0 = not linked). The node keeps copies of start and
     * end for a walk without pointer chasing: every change of the bounds goes through {@link #setStart} and
     * {@link #setEnd}, and VmaTree.validate() checks the copies.
     */
    VmaTree tree;

    int node;

    // vm_next / vm_prev
    Vma next;
    Vma prev;

    Vma(MmStruct mm, long start, long end, int flags, long pgoff, String file) {
        this.mm = mm;
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.pgoff = pgoff;
        this.file = file;
    }

    /** vma_adjust()-style in-place change of the start; the order of VMAs in the tree must not change. */
    void setStart(long s) {
        start = s;
        if (tree != null) {
            tree.boundsChanged(this);
        }
    }

    /** In-place change of the end (vma_adjust(), mremap growing in place). */
    void setEnd(long e) {
        end = e;
        if (tree != null) {
            tree.boundsChanged(this);
        }
    }

    /** A copy for split_vma()/dup_mmap(): same backing, flags and anon_vma, not linked anywhere. */
    Vma copyTo(MmStruct target) {
        Vma v = new Vma(target, start, end, flags, pgoff, file);
        v.anonVma = anonVma;
        v.anonForked = anonForked;
        return v;
    }

    boolean isAnon() {
        return "anon".equals(file) || "[heap]".equals(file) || "[stack]".equals(file);
    }

    long pages() {
        return (end - start) >>> org.kmodel.mm.VmFlags.PAGE_SHIFT;
    }

    @Override
    public long start() {
        return start;
    }

    @Override
    public long end() {
        return end;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public long pgoff() {
        return pgoff;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public AddressSpace mm() {
        return mm;
    }

    @Override
    public boolean linked() {
        return linked;
    }

    @Override
    public String toString() {
        return String.format("%x-%x %s %s", start, end, perms(), file);
    }
}
