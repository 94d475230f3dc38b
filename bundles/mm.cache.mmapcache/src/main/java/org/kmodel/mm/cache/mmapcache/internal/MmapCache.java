package org.kmodel.mm.cache.mmapcache.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;
import org.osgi.service.component.annotations.Component;

/**
 * The 3.14 {@code mm->mmap_cache} (mm/mmap.c before commit 615d6e8756c8): one VMA pointer per mm, shared by
 * all its threads. find_vma stores whatever the tree returned, even a VMA above the address; __vma_unlink
 * moves it to the absorbing {@code prev}; munmap clears it. Lookups from a foreign mm use it too (3.14 had no
 * {@code vmacache_valid_mm()}). Writes are unlocked hints, "racy but OK": a reference store is atomic and
 * the core re-checks every hit, so a lost update only costs a miss.
 */
@Component(service = VmaCacheDesign.class, property = VmaCacheDesign.NAME + "=mmapcache")
public class MmapCache implements VmaCacheDesign<MmapCache.Slot, Object> {

    /** mm->mmap_cache. */
    public static final class Slot {
        volatile VmArea cache;
    }

    @Override
    public String name() {
        return "mmapcache";
    }

    @Override
    public String description() {
        return "3.14 mm->mmap_cache: one VMA per mm, shared by all threads";
    }

    @Override
    public Slot newMmState(AddressSpace mm) {
        return new Slot();
    }

    @Override
    public Object newTaskState(Slot mmState) {
        return null;
    }

    @Override
    public Object cloneTaskState(Slot mmState, Object parent) {
        return null;
    }

    @Override
    public VmArea find(AddressSpace mm, Slot s, Object taskState, long addr) {
        VmArea v = s.cache;
        return v != null && v.end() > addr && v.start() <= addr ? v : null;
    }

    @Override
    public void update(AddressSpace mm, Slot s, Object taskState, long addr, VmArea vma) {
        s.cache = vma;
    }

    @Override
    public void vmaUnlinked(AddressSpace mm, Slot s, VmArea vma, VmArea prev) {
        if (s.cache == vma) {
            s.cache = prev;
        }
    }

    @Override
    public void vmasDetached(AddressSpace mm, Slot s) {
        s.cache = null;
    }
}
