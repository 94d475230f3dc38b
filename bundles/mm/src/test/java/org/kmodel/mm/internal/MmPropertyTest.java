package org.kmodel.mm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.kmodel.kernel.KernelException;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmFlags;

/**
 * Random sequences of mmap (MAP_FIXED), munmap, mprotect and brk against a page-array oracle: after every step
 * the VMAs cover exactly the mapped pages with the oracle's permissions, are sorted and non-overlapping, no two
 * neighbours are left mergeable (splits and merges both happened), the red-black invariants hold, find_vma
 * agrees with a list scan, and failed calls changed nothing.
 */
class MmPropertyTest {
    private static final long BASE = 0x10000000L;
    private static final int PAGES = 48;

    /** One operation: kind, first page, page count, prot. */
    record Op(int kind, int page, int count, int prot) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, PAGES - 1),
                        Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(0, 3))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void treeAgreesWithPageOracle(@ForAll("ops") List<Op> ops) {
        MmKernel k = MmComponent.standalone(List.of(), "none").newInstance("none");
        int pid = k.spawn("p");
        k.exec(pid, "p");
        k.setStartBrk(pid, BASE + (PAGES + 8) * 4096L);
        int[] oracle = new int[PAGES]; // -1 unmapped, else vm prot bits
        java.util.Arrays.fill(oracle, -1);
        long brkPages = 0;
        for (Op op : ops) {
            int end = Math.min(PAGES, op.page() + op.count());
            long s = BASE + op.page() * 4096L;
            long e = BASE + end * 4096L;
            String before = k.procMaps(pid);
            try {
                switch (op.kind()) {
                    case 0:
                        k.mmap(
                                pid,
                                s,
                                e - s,
                                op.prot(),
                                VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS | VmFlags.MAP_FIXED,
                                null,
                                0);
                        for (int i = op.page(); i < end; i++) {
                            oracle[i] = op.prot();
                        }
                        break;
                    case 1:
                        k.munmap(pid, s, e - s);
                        for (int i = op.page(); i < end; i++) {
                            oracle[i] = -1;
                        }
                        break;
                    case 2:
                        boolean hole = false;
                        for (int i = op.page(); i < end; i++) {
                            hole |= oracle[i] < 0;
                        }
                        try {
                            k.mprotect(pid, s, e - s, op.prot());
                            for (int i = op.page(); i < end; i++) {
                                oracle[i] = op.prot();
                            }
                        } catch (KernelException ex) {
                            assertEquals(true, hole, "mprotect failed without a hole");
                            // sys_mprotect changed the pages before the first hole, if it started on a VMA
                            for (int i = op.page(); i < end && oracle[op.page()] >= 0 && oracle[i] >= 0; i++) {
                                oracle[i] = op.prot();
                            }
                        }
                        break;
                    default:
                        brkPages = op.count() % 6;
                        k.brk(pid, BASE + (PAGES + 8 + brkPages) * 4096L);
                        break;
                }
            } catch (KernelException ex) {
                assertEquals(before, k.procMaps(pid));
            }
            check(k, pid, oracle, brkPages);
        }
    }

    private static void check(MmKernel k, int pid, int[] oracle, long brkPages) {
        List<VmArea> maps = k.maps(pid);
        int[] seen = new int[PAGES];
        java.util.Arrays.fill(seen, -1);
        long heapPages = 0;
        long lastEnd = 0;
        for (VmArea v : maps) {
            if (v.start() < lastEnd || v.start() >= v.end()) {
                throw new AssertionError("overlap or empty at " + v);
            }
            lastEnd = v.end();
            for (long a = v.start(); a < v.end(); a += 4096) {
                long p = (a - BASE) / 4096;
                if (p >= 0 && p < PAGES) {
                    seen[(int) p] = v.flags() & 7;
                } else {
                    heapPages++;
                }
            }
        }
        assertEquals(java.util.Arrays.toString(oracle), java.util.Arrays.toString(seen));
        assertEquals(brkPages, heapPages);
        MmStruct mm = (MmStruct) k.task(pid).mm();
        assertNull(mm.tree.validate());
        // vma_merge() runs at every change here (no faults, so no anon_vma): no two neighbours are mergeable
        for (Vma v = mm.mmap; v != null && v.next != null; v = v.next) {
            Vma n = v.next;
            if (v.end == n.start && v.flags == n.flags && v.pgoff + v.pages() == n.pgoff) {
                throw new AssertionError("unmerged neighbours " + v + " and " + n + " in " + maps);
            }
        }
        assertEquals(maps.size(), mm.mapCount());
        for (int p = -1; p <= PAGES + 16; p++) {
            long addr = BASE + p * 4096L + 123;
            Vma expect = null;
            for (Vma v = mm.mmap; v != null; v = v.next) {
                if (v.end > addr) {
                    expect = v;
                    break;
                }
            }
            assertSame(expect, mm.tree.findVma(addr));
        }
    }
}
