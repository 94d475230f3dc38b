package org.kmodel.mm.cache.vmacache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmFlags;
import org.kmodel.mm.testing.TestMm;

class VmaCacheTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;

    private static MmKernel kernel(VmaCache design) {
        return TestMm.standalone(List.of(design), "vmacache").newInstance("vmacache");
    }

    private static int process(MmKernel k) {
        int pid = k.spawn("t");
        k.exec(pid, "t");
        return pid;
    }

    @Test
    void hitsAfterMissAndLazyInvalidationOnMunmapOnly() {
        MmKernel k = kernel(new VmaCache());
        int pid = process(k);
        k.mmapRegion(pid, 0x10000000L, 0x10010000L, RW, "anon", 0);
        k.mmapRegion(pid, 0x20000000L, 0x20010000L, VmFlags.VM_READ, "fe:00:1", 0);
        k.findVma(pid, 0x10000000L);
        k.findVma(pid, 0x10005000L);
        assertEquals(1, k.currentStats().hits);
        k.mprotectRange(pid, 0x10002000L, 0x10003000L, VmFlags.PROT_READ); // split: no invalidation
        assertEquals(0, k.currentStats().invalidations);
        k.findVma(pid, 0x10002010L); // the cached VMA object kept [0x10002000, 0x10003000) in the split
        assertEquals(2, k.currentStats().hits);
        k.doMunmap(pid, 0x20000000L, 0x20001000L); // munmap: invalidates every thread lazily
        assertEquals(1, k.currentStats().invalidations);
        k.findVma(pid, 0x10002010L);
        assertEquals(2, k.currentStats().hits);
    }

    @Test
    void slotIsHashedByVirtualPageNumberAndThreadsInheritSlots() {
        MmKernel k = kernel(new VmaCache());
        int pid = process(k);
        for (int i = 0; i < 5; i++) {
            long s = 0x10000000L + i * 0x100000L;
            k.mmapRegion(pid, s, s + 0x10000, RW, "fe:00:" + i, 0);
        }
        // five VMAs looked up at page numbers hashing to slots 0,1,2,3,0: the fifth evicts the first
        for (int i = 0; i < 5; i++) {
            k.findVma(pid, 0x10000000L + i * 0x100000L + (i % 4) * 0x1000L);
        }
        long hits = k.currentStats().hits;
        int thread = k.clone(pid, 0, true, true);
        k.findVma(thread, 0x10100000L); // inherited slot 1
        assertEquals(hits + 1, k.currentStats().hits);
        k.findVma(pid, 0x10000000L); // slot 0 was overwritten by the fifth VMA
        assertEquals(hits + 1, k.currentStats().hits);
    }

    @Test
    void foreignMmAndKernelThreadsNeitherReadNorFill() {
        MmKernel k = kernel(new VmaCache());
        int pid = process(k);
        k.mmapRegion(pid, 0x10000000L, 0x10010000L, RW, "anon", 0);
        int other = process(k);
        int kt = k.kthreadUseMm("aio", pid);
        k.findVma(pid, 0x10000000L);
        k.findVmaRemote(other, pid, 0x10000000L);
        k.findVma(kt, 0x10000000L);
        assertEquals(0, k.currentStats().hits);
        assertEquals(2, k.currentStats().foreign);
    }

    /**
     * CVE-2018-17182 (docs/testing.md#concurrency-the-vma-cache) with a 3-bit counter: drive the seqnum to max-1, cache Y at
     * seqnum max, wrap by unmapping X, clone a thread without a lookup, let the thread wrap the counter back to
     * max while unmapping Y; the first task's lookup must not return the freed Y.
     */
    private static long[] cveSequence(VmaCache design) {
        MmKernel k = kernel(design);
        int a = process(k);
        long y = 0x10000000L;
        k.mmapRegion(a, y, y + 0x1000, RW, "anon", 0);
        long spare = 0x30000000L;
        k.findVma(a, y); // the mm's cache state exists from the first lookup on
        for (int i = 0; i < 6; i++) { // 6 invalidations: seqnum 6 = max - 1 for 3 bits
            k.mmapRegion(a, spare, spare + 0x1000, RW, "fe:00:9", 0);
            k.doMunmap(a, spare, spare + 0x1000);
        }
        k.mmapRegion(a, spare, spare + 0x1000, RW, "fe:00:9", 0);
        k.doMunmap(a, spare, spare + 0x1000); // seqnum 7
        k.findVma(a, y); // A resyncs to 7 and caches Y
        k.mmapRegion(a, spare, spare + 0x1000, RW, "fe:00:9", 0);
        k.doMunmap(a, spare, spare + 0x1000); // wrap to 0: flush_all (unless the unsafe shortcut)
        int b = k.clone(a, 0, true, true);
        for (int i = 0; i < 6; i++) {
            k.mmapRegion(b, spare, spare + 0x1000, RW, "fe:00:9", 0);
            k.doMunmap(b, spare, spare + 0x1000);
        }
        k.doMunmap(b, y, y + 0x1000); // seqnum back to 7, Y freed
        VmArea v = k.findVma(a, y + 0x10);
        return new long[] {v == null ? 0 : v.start(), k.currentStats().staleRejected, k.currentStats().hits};
    }

    @Test
    void issue3NarrowCounterWrapGivesNoStaleHit() {
        long[] r = cveSequence(new VmaCache(3));
        assertTrue(r[0] != 0x10000000L, "the freed VMA was returned");
        assertEquals(0, r[1], "vmacache_flush_all() must have emptied A's slots");
    }

    @Test
    void issue3UnsafeSingleUserShortcutIsCaughtByTheCoreReCheck() {
        VmaCache d = new VmaCache(3);
        d.unsafeSingleUserShortcut = true; // 3.16's "mm_users == 1" early return
        long[] r = cveSequence(d);
        assertTrue(r[0] != 0x10000000L, "the freed VMA was returned");
        assertEquals(
                1, r[1], java.util.Arrays.toString(r) + ": the design returned the freed VMA; the re-check refused it");
    }

    /** 3.15 as released: u32 vmacache_seqnum, and a wrap to 0 runs vmacache_flush_all() over the mm's tasks. */
    @Test
    void release315CounterIs32BitAndItsWrapFlushesEveryTask() {
        VmaCache d = new VmaCache();
        VmaCache.MmSeq s = d.newMmState(null);
        s.seqnum = 0xffff_ffffL;
        VmaCache.TaskCache t1 = d.newTaskState(s);
        VmaCache.TaskCache t2 = d.newTaskState(s);
        VmArea v = (VmArea) java.lang.reflect.Proxy.newProxyInstance(
                VmArea.class.getClassLoader(), new Class<?>[] {VmArea.class}, (proxy, m, args) -> null);
        t1.slots[0] = v;
        t2.slots[3] = v;
        d.vmasDetached(null, s);
        assertEquals(0, s.seqnum, "a 32-bit counter wraps to 0");
        assertNull(t1.slots[0], "vmacache_flush_all() emptied every task of the mm");
        assertNull(t2.slots[3]);
    }

    @Test
    void sixtyFourBitCounterOf419NeverWraps() {
        VmaCache d = VmaCache.withSeqnumBits(64);
        VmaCache.MmSeq s = d.newMmState(null);
        s.seqnum = 0xffff_ffffL;
        d.vmasDetached(null, s);
        assertEquals(0x1_0000_0000L, s.seqnum);
        s.seqnum = Long.MAX_VALUE;
        org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class, () -> d.vmasDetached(null, s));
        assertNull(d.find(null, new VmaCache.MmSeq(), null, 0));
    }
}
