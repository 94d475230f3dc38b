package org.kmodel.mm.workload.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sequential specification for {@link Issue3LinearizabilityTest}: an address space as a sorted map of
 * disjoint intervals, with find_vma's contract (mm/mmap.c: the first VMA with {@code end > addr}) and no
 * cache at all. Lincheck checks that every concurrent history of the real mm core plus a cache design can be
 * explained by some order of these operations; a lookup that returns a VMA whose munmap (or replacing mmap)
 * completed before the lookup began has no such order.
 */
public class SortedIntervalModel {
    private final TreeMap<Long, long[]> vmas = new TreeMap<>(); // start -> {end, tag}

    public void mmap(int slot, int tag, int task) {
        long s = MmUnderTest.start(slot);
        munmap(slot, task); // MAP_FIXED replaces what was there
        vmas.put(s, new long[] {s + MmUnderTest.LEN, tag});
    }

    public void munmap(int slot, int task) {
        long s = MmUnderTest.start(slot);
        long e = s + MmUnderTest.LEN;
        // the slots never overlap, but keep the general interval rule: drop what intersects [s, e)
        vmas.entrySet().removeIf(v -> v.getKey() < e && v.getValue()[0] > s);
    }

    public String findVma(int slot, int where, int task) {
        long addr = MmUnderTest.addr(slot, where);
        for (Map.Entry<Long, long[]> v : vmas.entrySet()) { // address order
            if (v.getValue()[0] > addr) {
                return MmUnderTest.describe(v.getKey(), v.getValue()[0], MmUnderTest.file((int) v.getValue()[1]));
            }
        }
        return null;
    }
}
