package org.kmodel.fs.extent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Collapse and insert must not touch every extent after the offset (the kernel's cost, docs/fs-ext4-xfs.md):
 * the node visits of a shift grow with log(n), not n. Counted, not timed.
 */
class ExtentTreeShiftCostTest {
    private static ExtentMap fragmented(int extents) {
        ExtentMap m = new ExtentMap(32768, 32767);
        for (int i = 0; i < extents; i++) {
            // 1 block mapped every 2 blocks, physically scattered: nothing merges (the kernel's "frag" file,
            // docs/fs-ext4-xfs.md).
            m.map(new Extent(2L * i, 1, 10_000_000L - 3L * i, i % 2 == 0));
        }
        return m;
    }

    private static long collapseVisits(int extents) {
        ExtentMap m = fragmented(extents);
        long before = m.tree().visits();
        m.collapse(2, 2); // 4 KiB-style collapse near the start
        return m.tree().visits() - before;
    }

    @Test
    void collapseCostDoesNotGrowWithExtentCount() {
        long small = collapseVisits(1 << 10);
        long big = collapseVisits(1 << 18); // 262,144 extents, the xfs frag file
        assertTrue(big < small * 4, "visits " + small + " (1k extents) vs " + big + " (256k extents)");
        assertTrue(big < 500, "O(log n) visits, got " + big);
    }

    @Test
    void collapseAndInsertShiftEveryLaterExtent() {
        ExtentMap m = fragmented(1000);
        m.collapse(10, 2);
        List<Extent> all = m.all();
        assertEquals(999, all.size());
        assertEquals(10, all.get(5).lblk());
        assertEquals(10_000_000L - 18, all.get(5).pblk());
        assertEquals(2L * 999 - 2, all.get(998).lblk());
        m.insert(10, 4);
        assertEquals(14, m.lookup(14).lblk());
        assertEquals(null, m.lookup(10));
        assertEquals(2L * 999 + 2, m.last().lblk());
    }

    @Test
    void extentsRespectTheMaximumLengthsWhenMerging() {
        ExtentMap ext4 = new ExtentMap(32768, 32767);
        ext4.map(new Extent(0, 32767, 100, true));
        ext4.map(new Extent(32767, 10, 100 + 32767, true));
        assertEquals(2, ext4.extentCount(), "unwritten extents stop at 32767 blocks");
        ext4.setState(0, 32777, false);
        assertEquals(32768, ext4.all().get(0).len(), "written extents reach 32768 blocks");
        ext4.setState(0, 32777, true);
        assertTrue(ext4.all().stream().allMatch(e -> e.len() <= 32767));
    }
}
