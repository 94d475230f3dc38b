package org.kmodel.mm.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;

/** A one-slot per-mm cache that deliberately never invalidates: the core's re-check must catch it. */
final class TestDesign implements VmaCacheDesign<VmArea[], Object> {
    @Override
    public String name() {
        return "broken";
    }

    @Override
    public String description() {
        return "test: never invalidates";
    }

    @Override
    public VmArea[] newMmState(AddressSpace mm) {
        return new VmArea[1];
    }

    @Override
    public Object newTaskState(VmArea[] ms) {
        return null;
    }

    @Override
    public Object cloneTaskState(VmArea[] ms, Object parent) {
        return null;
    }

    @Override
    public VmArea find(AddressSpace mm, VmArea[] ms, Object t, long addr) {
        return ms[0]; // no bounds check either
    }

    @Override
    public void update(AddressSpace mm, VmArea[] ms, Object t, long addr, VmArea vma) {
        ms[0] = vma;
    }

    @Override
    public void vmaUnlinked(AddressSpace mm, VmArea[] ms, VmArea vma, VmArea prev) {}

    @Override
    public void vmasDetached(AddressSpace mm, VmArea[] ms) {}
}
