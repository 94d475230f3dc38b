package org.kmodel.mm.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;

/**
 * An immutable copy of a VMA for tools (/proc/PID/maps, the shell), taken under mmap_sem. The heap is named
 * the way show_map_vma() (fs/proc/task_mmu.c) decides it: an anonymous VMA overlapping [start_brk, brk].
 */
record VmaSnapshot(long start, long end, int flags, long pgoff, String file, AddressSpace mm) implements VmArea {
    static VmaSnapshot of(Vma v, MmStruct mm) {
        String file = v.file;
        if ("anon".equals(file) && mm.startBrk != 0 && v.start <= mm.brk && v.end >= mm.startBrk) {
            file = "[heap]";
        }
        return new VmaSnapshot(v.start, v.end, v.flags, v.pgoff, file, mm);
    }

    /** A snapshot is taken of a linked VMA under mmap_sem. */
    @Override
    public boolean linked() {
        return true;
    }

    @Override
    public String toString() {
        return ProcMaps.line(this);
    }
}
