package org.kmodel.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;
import org.kmodel.mm.cache.largest.testing.TestLargest;
import org.kmodel.mm.cache.lru.testing.TestLru;
import org.kmodel.mm.cache.mmapcache.testing.TestMmapCache;
import org.kmodel.mm.cache.none.testing.TestNoCache;
import org.kmodel.mm.cache.vmacache.testing.TestVmaCache;
import org.kmodel.mm.testing.TestVmaTree;
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
 * The tree and the core's find_vma come from the mm bundle's test-support export ({@link TestVmaTree}).
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

    private TestVmaTree mm;
    private AddressSpace space;
    private final TreeMap<Long, VmArea> treeMap = new TreeMap<>();
    private long[] addrs;
    private int i;
    private long hot;
    private TestVmaTree.Lookup vmacacheCore;
    private TestVmaTree.Lookup noneCore;
    private Object[] states;
    private Object[] taskStates;
    private final VmaCacheDesign<?, ?>[] designs = {
        TestMmapCache.design(), TestLargest.design(), TestVmaCache.design(), TestLru.design()
    };

    @Setup
    public void setUp() {
        mm = new TestVmaTree(vmas, 0x10000000L, 0x10000L, 0x8000);
        space = mm.mm();
        for (VmArea v : mm.vmas()) {
            treeMap.put(v.start(), v);
        }
        SplittableRandom r = new SplittableRandom(1);
        addrs = new long[4096];
        for (int n = 0; n < addrs.length; n++) {
            addrs[n] = 0x10000000L + r.nextInt(vmas) * 0x10000L + r.nextInt(0x10000); // some land in gaps
        }
        hot = 0x10000000L + (vmas / 2) * 0x10000L + 0x100;
        states = new Object[designs.length];
        taskStates = new Object[designs.length];
        for (int d = 0; d < designs.length; d++) {
            warm(d);
        }
        vmacacheCore = mm.lookup(TestVmaCache.design());
        noneCore = mm.lookup(TestNoCache.design());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void warm(int d) {
        VmaCacheDesign des = designs[d];
        states[d] = des.newMmState(space);
        taskStates[d] = des.newTaskState(states[d]);
        des.update(space, states[d], taskStates[d], hot, mm.treeFind(hot));
    }

    private long next() {
        return addrs[i++ & (addrs.length - 1)];
    }

    @Benchmark
    public Object treeFindVmaRandom() {
        return mm.treeFind(next());
    }

    /** The rb walk alone, bypassing the Eytzinger copy that {@link #treeFindVmaRandom} uses once built. */
    @Benchmark
    public Object treeRbWalkRandom() {
        return mm.rbWalk(next());
    }

    @Benchmark
    public Object treeMapFindVmaRandom() {
        long a = next();
        Map.Entry<Long, VmArea> e = treeMap.floorEntry(a);
        if (e == null || e.getValue().end() <= a) {
            e = treeMap.higherEntry(a);
        }
        return e == null ? null : e.getValue();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private VmArea hit(int d) {
        return ((VmaCacheDesign) designs[d]).find(space, states[d], taskStates[d], hot);
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
        return vmacacheCore.find(hot);
    }

    /** Random addresses over all VMAs: almost always a miss, tree walk and vmacache_update. */
    @Benchmark
    public Object coreFindVmaMissRandom() {
        return vmacacheCore.find(next());
    }

    @Benchmark
    public Object coreFindVmaNoCacheRandom() {
        return noneCore.find(next());
    }

    static List<String> names() {
        return List.of("mmapcache", "largest", "vmacache", "lru");
    }
}
