package org.kmodel.mm.cache.largest.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;
import org.osgi.service.component.annotations.Component;

/**
 * "mm: cache largest vma" (Davidlohr Bueso, LKML 2013-11-01, not merged): {@code mm->mmap_cache[2]} holding
 * VMA_LAST_USED and VMA_LARGEST, per mm. LAST_USED is checked first. On a miss the tree's answer becomes
 * LAST_USED, and LARGEST if it is strictly longer than LARGEST's <em>current</em> length: LARGEST is the
 * largest VMA seen at a miss, not the largest VMA. __vma_unlink moves each slot holding the freed VMA to
 * {@code prev} (as posted; Ingo asked for NULL); munmap clears both (vma_clear_caches).
 */
@Component(service = VmaCacheDesign.class, property = VmaCacheDesign.NAME + "=largest")
public class LargestVmaCache implements VmaCacheDesign<LargestVmaCache.Slots, Object> {

    /** mm->mmap_cache[NR_VMA_CACHES]. */
    public static final class Slots {
        volatile VmArea last;
        volatile VmArea largest;
    }

    @Override
    public String name() {
        return "largest";
    }

    @Override
    public String description() {
        return "2013 proposal: last-used + largest VMA per mm (not merged)";
    }

    @Override
    public Slots newMmState(AddressSpace mm) {
        return new Slots();
    }

    @Override
    public Object newTaskState(Slots mmState) {
        return null;
    }

    @Override
    public Object cloneTaskState(Slots mmState, Object parent) {
        return null;
    }

    private static boolean contains(VmArea v, long addr) {
        return v != null && v.start() <= addr && addr < v.end();
    }

    @Override
    public VmArea find(AddressSpace mm, Slots s, Object taskState, long addr) {
        VmArea v = s.last;
        if (contains(v, addr)) {
            return v;
        }
        v = s.largest;
        return contains(v, addr) ? v : null;
    }

    @Override
    public void update(AddressSpace mm, Slots s, Object taskState, long addr, VmArea vma) {
        VmArea largest = s.largest;
        long currlen = largest != null ? largest.end() - largest.start() : 0;
        s.last = vma;
        if (vma.end() - vma.start() > currlen) {
            s.largest = vma;
        }
    }

    @Override
    public void vmaUnlinked(AddressSpace mm, Slots s, VmArea vma, VmArea prev) {
        if (s.last == vma) {
            s.last = prev;
        }
        if (s.largest == vma) {
            s.largest = prev;
        }
    }

    @Override
    public void vmasDetached(AddressSpace mm, Slots s) {
        s.last = null;
        s.largest = null;
    }
}
