package org.kmodel.mm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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
}
