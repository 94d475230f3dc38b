package org.kmodel.mm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VmaTreeTest {
    private static Vma vma(MmStruct mm, long s, long e) {
        return new Vma(mm, s, e, 3, s >>> 12, "anon");
    }

    /** Brute-force find_vma over a sorted list: the first VMA with end > addr. */
    private static Vma oracle(List<Vma> sorted, long addr) {
        for (Vma v : sorted) {
            if (v.end > addr) {
                return v;
            }
        }
        return null;
    }

    @Test
    void findVmaReturnsFirstVmaEndingAboveAddressEvenInAGap() {
        MmStruct mm = new MmStruct(1);
        Vma a = vma(mm, 0x1000, 0x3000);
        Vma b = vma(mm, 0x8000, 0x9000);
        mm.link(a, null);
        mm.link(b, a);
        assertSame(a, mm.tree.findVma(0));
        assertSame(a, mm.tree.findVma(0x2fff));
        assertSame(b, mm.tree.findVma(0x3000)); // in the gap: the VMA above, not containing addr
        assertSame(b, mm.tree.findVma(0x8fff));
        assertNull(mm.tree.findVma(0x9000));
    }

    @Test
    void randomInsertEraseKeepsRedBlackInvariantsAndAgreesWithList() {
        Random r = new Random(42);
        MmStruct mm = new MmStruct(1);
        List<Vma> live = new ArrayList<>();
        for (int step = 0; step < 20000; step++) {
            if (live.isEmpty() || r.nextInt(3) != 0) {
                long slot = r.nextInt(4096);
                long s = slot << 16;
                if (mm.tree.findVma(s) != null && mm.tree.findVma(s).start <= s + 0x1000) {
                    continue;
                }
                Vma v = vma(mm, s, s + 0x1000);
                mm.link(v, mm.tree.findPrev(s));
                live.add(v);
            } else {
                Vma v = live.remove(r.nextInt(live.size()));
                mm.unlink(v);
            }
            if (step % 97 == 0) {
                assertNull(mm.tree.validate());
                live.sort((x, y) -> Long.compare(x.start, y.start));
                for (int i = 0; i < 20; i++) {
                    long addr = r.nextLong() & 0xfffffffffL;
                    assertSame(oracle(live, addr), mm.tree.findVma(addr));
                }
                assertEquals(live.size(), mm.vmas().size());
            }
        }
        // black height bounds the depth: 2 log2(n + 1)
        assertNull(mm.tree.validate());
    }

    /**
     * The Eytzinger copy (issue 3 miss path) answers exactly as the rb walk and the oracle once built, and
     * every kind of change (in-place bounds change, erase, insert) retires it before the next lookup.
     */
    @Test
    void findVmaIndexAgreesWithWalkAndOracleAndGoesStaleOnEveryChange() {
        Random r = new Random(7);
        MmStruct mm = new MmStruct(1);
        List<Vma> live = new ArrayList<>();
        Vma prev = null;
        for (int n = 0; n < 3000; n++) {
            long s = 0x10000000L + n * 0x10000L + (r.nextInt(8) << 12);
            Vma v = vma(mm, s, s + 0x1000 + (r.nextInt(8) << 12));
            mm.link(v, prev);
            live.add(v);
            prev = v;
        }
        assertFalse(mm.tree.indexCurrent());
        agreeOnManyAddresses(mm, live, r);
        assertTrue(mm.tree.indexCurrent(), "enough lookups build the index");
        assertNull(mm.tree.validate());

        Vma v = live.get(1500);
        long oldEnd = v.end;
        v.setEnd(v.start + 0x1000); // vma_adjust() shrinking in place
        assertFalse(mm.tree.indexCurrent());
        assertSame(live.get(1501), mm.tree.findVma(v.start + 0x1000));
        agreeOnManyAddresses(mm, live, r);
        assertTrue(mm.tree.indexCurrent());
        v.setEnd(oldEnd);
        assertSame(v, mm.tree.findVma(oldEnd - 1));

        agreeOnManyAddresses(mm, live, r);
        mm.unlink(live.remove(2000));
        assertFalse(mm.tree.indexCurrent());
        agreeOnManyAddresses(mm, live, r);
        Vma back = vma(mm, 0x10000000L + 2000 * 0x10000L, 0x10000000L + 2000 * 0x10000L + 0x1000);
        mm.link(back, mm.tree.findPrev(back.start));
        live.add(2000, back);
        assertFalse(mm.tree.indexCurrent());
        agreeOnManyAddresses(mm, live, r);
        assertSame(back, mm.tree.findVma(back.start));
        assertNull(mm.tree.validate());
    }

    private static void agreeOnManyAddresses(MmStruct mm, List<Vma> sorted, Random r) {
        for (int i = 0; i < 4000; i++) {
            long addr = 0x0fff0000L + (r.nextLong() & 0xfffffffL) % (3002L * 0x10000L);
            Vma expect = oracle(sorted, addr);
            assertSame(expect, mm.tree.rbWalk(addr));
            assertSame(expect, mm.tree.findVma(addr));
        }
        assertNull(mm.tree.findVma(Long.MAX_VALUE));
        assertSame(sorted.get(0), mm.tree.findVma(Long.MIN_VALUE));
    }
}
