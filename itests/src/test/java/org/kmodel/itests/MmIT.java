package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.itests.support.KernelTestSupport;
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.MmService;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmFlags;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Issue 3 in a running kernel: the mm feature boots with the release's default design, /proc/PID/maps and
 * /proc/vmstat answer through the /proc whiteboard, and the design is swapped with mm:cache (and by stopping a
 * design's bundle) while real threads look up, map and unmap: no error, no stale hit, counters continue.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MmIT extends KernelTestSupport {
    @Configuration
    public Option[] config() {
        return kernel(feature("mm"));
    }

    private MmService mm() {
        ServiceReference<MmService> ref = context.getServiceReference(MmService.class);
        assertNotNull("MmService", ref);
        return context.getService(ref);
    }

    @Test
    public void shellAndProcFiles() throws Exception {
        String designs = awaitGogo("mm:cache", "vmacache16");
        assertTrue(designs, designs.contains("*  vmacache "));
        for (String d : new String[] {"mmapcache", "largest", "lru", "none", "vmacache-pmd", "vmacache16"}) {
            assertTrue(designs, designs.contains("   " + d + " "));
        }
        assertTrue(gogo("ps").contains("init"));
        String maps = gogo("cat /proc/1/maps");
        assertTrue(maps, maps.contains("[stack]"));
        assertTrue(maps, maps.startsWith("00400000-0040c000 r-xp 00000000 08:01 "));
        gogo("mm:findvma 1 0x400000");
        assertTrue(gogo("cat /proc/vmstat").contains("vmacache_find_calls "));
        assertTrue(gogoFails("mm:cache nosuch").contains("Invalid argument"));
        String w = gogo("mm:workload --design vmacache --seed 1 kbuild");
        assertTrue(w, w.startsWith("kbuild seed 1: design vmacache"));
    }

    @Test
    public void swapDesignsWhileThreadsLookUp() throws Exception {
        MmService mm = mm();
        int pid = mm.spawn("stress");
        int writer = mm.clone(pid, 0, true, true);
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicLong lookups = new AtomicLong();
        AtomicLong ticket = new AtomicLong();
        java.util.Map<VmArea, Long> unmappedAt = new java.util.concurrent.ConcurrentHashMap<>();
        long base = 0x10000000L;
        List<Thread> threads = new java.util.ArrayList<>();
        threads.add(new Thread(() -> {
            int n = 0;
            try {
                while (!stop.get()) {
                    long s = base + (n % 8) * 0x10000L;
                    mm.mmapRegion(writer, s, s + 0x4000, VmFlags.VM_READ, "fe:00:" + n++, 0);
                    VmArea v = mm.findVma(writer, s);
                    mm.munmap(writer, s, 0x4000);
                    unmappedAt.put(v, ticket.incrementAndGet()); // response ticket of the munmap
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        }));
        for (int t = 0; t < 3; t++) {
            int tid = mm.clone(pid, 0, true, true);
            threads.add(new Thread(() -> {
                java.util.Random r = new java.util.Random(tid);
                try {
                    while (!stop.get()) {
                        long a = r.nextBoolean()
                                ? 0x400000L + r.nextInt(0xc000)
                                : base + r.nextInt(8) * 0x10000L + r.nextInt(0x4000);
                        long invoked = ticket.get();
                        VmArea v = mm.findVma(tid, a);
                        Long u = v == null ? null : unmappedAt.get(v);
                        if (u != null && u <= invoked) {
                            throw new AssertionError("returned a VMA unmapped before the lookup began: " + v);
                        }
                        lookups.incrementAndGet();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        String[] designs = {"mmapcache", "largest", "lru", "none", "vmacache"};
        for (int round = 0; round < 4; round++) {
            for (String d : designs) {
                long before = lookups.get();
                gogo("mm:cache " + d);
                await("lookups under " + d, () -> lookups.get() > before + 200);
            }
        }
        Bundle lru = installedBundle("org.kmodel.mm.cache.lru");
        gogo("mm:cache lru");
        lru.stop(); // the selected design goes away: the kernel falls back to the tree
        await("fallback", () -> "none".equals(mm.cacheDesign()));
        long mid = lookups.get();
        await("lookups without lru", () -> lookups.get() > mid + 200);
        lru.start();
        awaitGogo("mm:cache", "lru");
        gogo("mm:cache lru");
        stop.set(true);
        for (Thread t : threads) {
            t.join(5000);
        }
        assertTrue("errors: " + errors, errors.isEmpty());
        long calls = 0;
        for (CacheStats s : mm.cacheStats()) {
            assertEquals(s.design, 0, s.staleRejected);
            calls += s.calls;
        }
        assertTrue(calls >= lookups.get());
        assertEquals("lru", mm.cacheDesign());
        mm.exit(pid);
    }
}
