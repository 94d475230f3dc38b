package org.kmodel.mm.internal;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;
import org.kmodel.mm.cache.largest.internal.LargestVmaCache;
import org.kmodel.mm.cache.lru.internal.LruVmaCache;
import org.kmodel.mm.cache.mmapcache.internal.MmapCache;
import org.kmodel.mm.cache.vmacache.internal.VmaCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * find_vma costs (docs/vmacache.md#results; issue 3 targets: a cache hit at most 3 ns, a miss plus tree walk at
 * 10,000 VMAs at most 60 ns): the primitive-keyed red-black tree against a boxed TreeMap, each design's probe
 * on a hit, and the core's full find_vma path (counters, re-check, cache update) on a hit and on a miss.
 * Lives in the mm core's package (plain classpath) to reach the tree directly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FindVmaBenchmark {
    @Param({"100", "10000"})
    public int vmas;

    private MmStruct mm;
    private final TreeMap<Long, Vma> treeMap = new TreeMap<>();
    private long[] addrs;
    private int i;
    private long hot;
    private TaskStruct task;
    private FindVma vmacacheCore;
    private FindVma noneCore;
    private Object[] states;
    private Object[] taskStates;
    private final VmaCacheDesign<?, ?>[] designs = {new MmapCache(), new LargestVmaCache(), new VmaCache(),
        new LruVmaCache()};

    @Setup
    public void setUp() {
        mm = new MmStruct(1);
        Vma prev = null;
        for (int n = 0; n < vmas; n++) {
            long s = 0x10000000L + n * 0x10000L;
            Vma v = new Vma(mm, s, s + 0x8000, 3, s >>> 12, "anon");
            mm.link(v, prev);
            treeMap.put(s, v);
            prev = v;
        }
        SplittableRandom r = new SplittableRandom(1);
        addrs = new long[4096];
        for (int n = 0; n < addrs.length; n++) {
            addrs[n] = 0x10000000L + r.nextInt(vmas) * 0x10000L + r.nextInt(0x10000); // some land in gaps
        }
        hot = 0x10000000L + (vmas / 2) * 0x10000L + 0x100;
        mm.users = 1;
        task = new TaskStruct(1, 1, 0, "bench", mm, false);
        states = new Object[designs.length];
        taskStates = new Object[designs.length];
        for (int d = 0; d < designs.length; d++) {
            warm(d);
        }
        vmacacheCore = new FindVma(new VmaCache());
        noneCore = new FindVma(NoCache.INSTANCE);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void warm(int d) {
        VmaCacheDesign des = designs[d];
        states[d] = des.newMmState(mm);
        taskStates[d] = des.newTaskState(states[d]);
        des.update(mm, states[d], taskStates[d], hot, mm.tree.findVma(hot));
    }

    private long next() {
        return addrs[i++ & (addrs.length - 1)];
    }

    @Benchmark
    public Object treeFindVmaRandom() {
        return mm.tree.findVma(next());
    }

    /** The rb walk alone, bypassing the Eytzinger copy that {@link #treeFindVmaRandom} uses once built. */
    @Benchmark
    public Object treeRbWalkRandom() {
        return mm.tree.rbWalk(next());
    }

    @Benchmark
    public Object treeMapFindVmaRandom() {
        long a = next();
        Map.Entry<Long, Vma> e = treeMap.floorEntry(a);
        if (e == null || e.getValue().end <= a) {
            e = treeMap.higherEntry(a);
        }
        return e == null ? null : e.getValue();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private VmArea hit(int d) {
        return ((VmaCacheDesign) designs[d]).find(mm, states[d], taskStates[d], hot);
    }

    @Benchmark
    public Object hitMmapcache() {
        return hit(0);
    }

    @Benchmark
    public Object hitLargest() {
        return hit(1);
    }

    @Benchmark
    public Object hitVmacache() {
        return hit(2);
    }

    @Benchmark
    public Object hitLru() {
        return hit(3);
    }

    /** The core's find_vma with the 3.15 vmacache on a hit: counters, state lookup, probe, re-check. */
    @Benchmark
    public Object coreFindVmaHit() {
        return vmacacheCore.find(task, mm, hot);
    }

    /** Random addresses over all VMAs: almost always a miss, tree walk and vmacache_update. */
    @Benchmark
    public Object coreFindVmaMissRandom() {
        return vmacacheCore.find(task, mm, next());
    }

    @Benchmark
    public Object coreFindVmaNoCacheRandom() {
        return noneCore.find(task, mm, next());
    }

    static List<String> names() {
        return List.of("mmapcache", "largest", "vmacache", "lru");
    }
}
