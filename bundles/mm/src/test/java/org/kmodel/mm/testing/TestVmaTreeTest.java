package org.kmodel.mm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;

/** The export the find_vma benchmarks build their address space with. */
class TestVmaTreeTest {
    private static final VmaCacheDesign<Object, Object> NONE = new VmaCacheDesign<>() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public String description() {
            return "SPI defaults";
        }
    };

    @Test
    void findVmaIsTheFirstVmaEndingAboveTheAddress() {
        TestVmaTree t = new TestVmaTree(3, 0x10000L, 0x10000L, 0x8000);
        assertEquals(3, t.vmas().size());
        VmArea second = t.vmas().get(1);
        assertEquals(0x20000L, second.start());
        assertEquals(0x28000L, second.end());
        assertSame(second, t.treeFind(0x20000L));
        assertSame(second, t.treeFind(0x18000L), "in the gap before it");
        assertSame(second, t.rbWalk(0x18000L));
        assertNull(t.treeFind(0x38000L), "above the last VMA");
        TestVmaTree.Lookup core = t.lookup(NONE);
        for (long a = 0; a < 0x40000L; a += 0x1000) {
            assertSame(t.treeFind(a), core.find(a), "address " + Long.toHexString(a));
        }
    }
}
