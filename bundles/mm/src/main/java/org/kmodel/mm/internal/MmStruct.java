package org.kmodel.mm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.kmodel.mm.AddressSpace;

/**
 * struct mm_struct (include/linux/mm_types.h): the VMA tree and list, brk and stack bounds, mmap_sem, and
 * the cache design's per-mm state (what 3.14 kept in {@code mmap_cache} and 3.15 in
 * {@code vmacache_seqnum}).
 */
final class MmStruct implements AddressSpace {
    final long id;
    final VmaTree tree = new VmaTree();
    /** mm->mmap: the lowest VMA, head of the vm_next list. */
    Vma mmap;
    /** mmap_sem: read for lookups and faults, write for every change of the tree or of VMA bounds. */
    final ReentrantReadWriteLock mmapSem = new ReentrantReadWriteLock();

    int users;
    long startBrk;
    long brk;
    long startStack;
    long mmapBase = 0x7ffff7fff000L;
    boolean dead;
    /** The design's mm state and the binding it belongs to (replaced when the design is swapped). */
    volatile CacheSlot cache;

    MmStruct(long id) {
        this.id = id;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public int mapCount() {
        return tree.size();
    }

    @Override
    public int users() {
        return users;
    }

    @Override
    public long startBrk() {
        return startBrk;
    }

    @Override
    public long brk() {
        return brk;
    }

    /** __vma_link(): into the tree and after {@code prev} in the list (prev null: at the head). */
    void link(Vma v, Vma prev) {
        tree.insert(v);
        v.prev = prev;
        Vma next = prev == null ? mmap : prev.next;
        v.next = next;
        if (prev == null) {
            mmap = v;
        } else {
            prev.next = v;
        }
        if (next != null) {
            next.prev = v;
        }
        v.linked = true;
    }

    /** Takes {@code v} out of the tree and the list; the caller tells the cache design why. */
    void unlink(Vma v) {
        tree.erase(v);
        if (v.prev == null) {
            mmap = v.next;
        } else {
            v.prev.next = v.next;
        }
        if (v.next != null) {
            v.next.prev = v.prev;
        }
        v.linked = false;
    }

    List<Vma> vmas() {
        List<Vma> out = new ArrayList<>(tree.size());
        for (Vma v = mmap; v != null; v = v.next) {
            out.add(v);
        }
        return out;
    }

    @Override
    public String toString() {
        return "mm" + id;
    }
}
