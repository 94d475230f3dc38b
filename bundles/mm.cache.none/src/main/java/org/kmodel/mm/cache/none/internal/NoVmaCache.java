package org.kmodel.mm.cache.none.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;
import org.osgi.service.component.annotations.Component;

/**
 * No cache (6.1, "mm: remove vmacache", Liam Howlett): every find_vma walks the tree. With a shallow,
 * cache-friendly tree the walk is cheap and keeping hints coherent across every VMA change was pure overhead.
 * Compare it by cost per lookup, not by hit rate (0 % by definition).
 */
@Component(service = VmaCacheDesign.class, property = VmaCacheDesign.NAME + "=none")
public class NoVmaCache implements VmaCacheDesign<Object, Object> {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public String description() {
        return "6.1+: no cache, every find_vma walks the tree";
    }

    @Override
    public Object newMmState(AddressSpace mm) {
        return null;
    }

    @Override
    public Object newTaskState(Object mmState) {
        return null;
    }

    @Override
    public Object cloneTaskState(Object mmState, Object parent) {
        return null;
    }

    @Override
    public VmArea find(AddressSpace mm, Object mmState, Object taskState, long addr) {
        return null;
    }

    @Override
    public void update(AddressSpace mm, Object mmState, Object taskState, long addr, VmArea vma) {
        // nothing to remember
    }

    @Override
    public void vmaUnlinked(AddressSpace mm, Object mmState, VmArea vma, VmArea prev) {
        // nothing cached
    }

    @Override
    public void vmasDetached(AddressSpace mm, Object mmState) {
        // nothing cached
    }
}
