package org.kmodel.mm.workload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmFlags;
import org.kmodel.mm.cache.vmacache.testing.TestVmaCache;
import org.kmodel.mm.testing.TestMm;

/**
 * docs/testing.md#concurrency-the-vma-cache layer 1 (history checker): real Java threads as tasks of one process look up while
 * another task maps and unmaps and a third swaps the cache design. A lookup must never return a VMA whose
 * munmap completed (response ticket) before the lookup was invoked (invocation ticket).
 */
class DesignSwapConcurrencyTest {
    private static final long BASE = 0x10000000L;
    private static final int SLOTS = 8;

    @Test
    void lookupsNeverReturnAVmaUnmappedBeforeTheyStartedWhileDesignsSwap() throws Exception {
        stress(Kernels.all().newInstance("vmacache"), true);
    }

    /** docs/testing.md#concurrency-the-vma-cache layer 3: a 3-bit seqnum wraps every 8 invalidations, under the same stress. */
    @Test
    void narrowSequenceCounterWrapsWithoutStaleHits() throws Exception {
        MmKernel k = TestMm.standalone(List.of(TestVmaCache.withSeqnumBits(3)), "vmacache")
                .newInstance("vmacache");
        stress(k, false);
    }

    private void stress(MmKernel k, boolean swap) throws Exception {
        int pid = k.spawn("stress");
        AtomicLong ticket = new AtomicLong();
        Map<VmArea, Long> unmappedAt = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicLong violations = new AtomicLong();
        AtomicLong lookups = new AtomicLong();
        int writer = k.clone(pid, 0, true, true);
        Thread w = new Thread(() -> {
            java.util.Random r = new java.util.Random(1);
            int n = 0;
            try {
                while (!stop.get()) {
                    long s = BASE + r.nextInt(SLOTS) * 0x10000L;
                    k.mmapRegion(writer, s, s + 0x4000, VmFlags.VM_READ, "fe:00:" + (n++), 0);
                    VmArea v = k.findVma(writer, s);
                    k.doMunmap(writer, s, s + 0x4000);
                    unmappedAt.put(v, ticket.incrementAndGet());
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        Thread swapper = new Thread(() -> {
            String[] designs = {"mmapcache", "largest", "vmacache", "lru", "none"};
            int i = 0;
            try {
                while (!stop.get() && swap) {
                    k.selectCacheDesign(designs[i++ % designs.length]);
                    Thread.sleep(1);
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        Thread[] readers = new Thread[3];
        for (int t = 0; t < readers.length; t++) {
            int tid = k.clone(pid, 0, true, true);
            readers[t] = new Thread(() -> {
                java.util.Random r = new java.util.Random(tid);
                try {
                    while (!stop.get()) {
                        long addr = BASE + r.nextInt(SLOTS) * 0x10000L + r.nextInt(0x4000);
                        long t0 = ticket.get();
                        VmArea v = k.findVma(tid, addr);
                        lookups.incrementAndGet();
                        Long u = v == null ? null : unmappedAt.get(v);
                        if (u != null && u <= t0) {
                            violations.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
        }
        w.start();
        swapper.start();
        for (Thread t : readers) {
            t.start();
        }
        Thread.sleep(1500);
        stop.set(true);
        w.join(5000);
        swapper.join(5000);
        for (Thread t : readers) {
            t.join(5000);
        }
        assertTrue(errors.isEmpty(), () -> "errors: " + errors);
        assertEquals(0, violations.get());
        assertTrue(lookups.get() > 1000, "too few lookups: " + lookups.get());
        long hits = 0;
        for (CacheStats s : k.cacheStats()) {
            assertEquals(0, s.staleRejected, s.design);
            hits += s.hits;
        }
        assertTrue(hits > 0);
    }
}
