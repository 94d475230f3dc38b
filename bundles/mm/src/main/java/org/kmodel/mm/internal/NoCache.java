package org.kmodel.mm.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;

/**
 * The fallback when no design bundle is active: every find_vma walks the tree, as 6.1+ does after
 * "mm: remove vmacache" (the maple tree walk made the cache not worth its bookkeeping).
 */
final class NoCache implements VmaCacheDesign<Object, Object> {
    static final NoCache INSTANCE = new NoCache();

    @Override
    public String name() {
        return "none";
    }

    @Override
    public String description() {
        return "no cache: every find_vma walks the tree (6.1+, built in)";
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
    }

    @Override
    public void vmaUnlinked(AddressSpace mm, Object mmState, VmArea vma, VmArea prev) {
    }

    @Override
    public void vmasDetached(AddressSpace mm, Object mmState) {
    }
}
