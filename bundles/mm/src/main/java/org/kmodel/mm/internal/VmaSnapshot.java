package org.kmodel.mm.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;

/**
 * An immutable copy of a VMA for tools (/proc/PID/maps, the shell), taken under mmap_sem. The heap is named
 * the way show_map_vma() (fs/proc/task_mmu.c) decides it: an anonymous VMA overlapping [start_brk, brk].
 */
final class VmaSnapshot implements VmArea {
    private final long start;
    private final long end;
    private final int flags;
    private final long pgoff;
    private final String file;
    private final AddressSpace mm;

    private VmaSnapshot(long start, long end, int flags, long pgoff, String file, AddressSpace mm) {
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.pgoff = pgoff;
        this.file = file;
        this.mm = mm;
    }

    static VmaSnapshot of(Vma v, MmStruct mm) {
        String file = v.file;
        if ("anon".equals(file) && mm.startBrk != 0 && v.start <= mm.brk && v.end >= mm.startBrk) {
            file = "[heap]";
        }
        return new VmaSnapshot(v.start, v.end, v.flags, v.pgoff, file, mm);
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
        return true;
    }

    @Override
    public String toString() {
        return ProcMaps.line(this);
    }
}
