package org.kmodel.mm.workload.internal;

import java.util.List;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.Options;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kmodel.mm.cache.vmacache.testing.TestVmaCache;
import org.kmodel.mm.testing.TestMm;

/**
 * Issue 3 acceptance: "a lookup never returns a VMA whose unmapping completed before the lookup began",
 * checked with Lincheck as linearizability of mmap / munmap / find_vma on one mm shared by three tasks against
 * {@link SortedIntervalModel} (no cache). Model checking explores thread switches at every shared access of
 * the mm core and the design (mmap_sem, the VMA tree, seqnums, slots); stress runs the same scenarios on real
 * threads. Budgets are small so the whole class runs in seconds in CI.
 */
class Issue3LinearizabilityTest {

    /** The 3.15 per-thread vmacache with its 64-bit seqnum. */
    public static class Vmacache extends MmUnderTest {
        public Vmacache() {
            super(Kernels.all().newInstance("vmacache"));
        }
    }

    /** A 1-bit seqnum: every second invalidation wraps to 0 and must flush all tasks (vmacache_flush_all). */
    public static class VmacacheNarrowSeqnum extends MmUnderTest {
        public VmacacheNarrowSeqnum() {
            super(TestMm.standalone(List.of(TestVmaCache.withSeqnumBits(1)), "vmacache")
                    .newInstance("vmacache"));
        }
    }

    /** The 3.14 mm->mmap_cache shared by all threads (racy hint, re-checked by the core). */
    public static class Mmapcache extends MmUnderTest {
        public Mmapcache() {
            super(Kernels.all().newInstance("mmapcache"));
        }
    }

    private static <O extends Options<?, ?>> O budget(O o, int threads) {
        o.threads(threads)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(SortedIntervalModel.class);
        return o;
    }

    /**
     * 40 scenarios: with the seqnum bump and the core's re-check both removed, this budget (and the stress
     * one) reported the stale hit; 20 scenarios sometimes did not.
     */
    private static ModelCheckingOptions modelChecking() {
        assumeModelCheckingWorks();
        return budget(new ModelCheckingOptions(), 2).iterations(40).invocationsPerIteration(8);
    }

    /** A lighter budget for the secondary designs, to keep the class's CI time down. */
    private static ModelCheckingOptions modelCheckingLight() {
        assumeModelCheckingWorks();
        return budget(new ModelCheckingOptions(), 2).iterations(20).invocationsPerIteration(5);
    }

    /**
     * Lincheck 2.39's model checker instruments java.util.concurrent's locks; on JDK 25 every scenario then
     * reports a hang in the mmap_sem's park (measured: each model-checking test ran 3 minutes and failed with
     * "The execution has hung"). The stress tests run on every JDK; model checking needs a JDK it supports.
     */
    private static void assumeModelCheckingWorks() {
        int jdk = Runtime.version().feature();
        Assumptions.assumeTrue(
                jdk <= 21, "Lincheck 2.39 model checking does not support JDK " + jdk + "; the stress tests still run");
    }

    private static StressOptions stress() {
        return budget(new StressOptions(), MmUnderTest.TASKS).iterations(40).invocationsPerIteration(50);
    }

    @Test
    void vmacacheIsLinearizableUnderModelChecking() {
        LinChecker.check(Vmacache.class, modelChecking());
    }

    @Test
    void vmacacheIsLinearizableUnderStress() {
        LinChecker.check(Vmacache.class, stress());
    }

    @Test
    void vmacacheWithAWrappingSeqnumIsLinearizableUnderModelChecking() {
        LinChecker.check(VmacacheNarrowSeqnum.class, modelCheckingLight());
    }

    @Test
    void mmapcacheIsLinearizableUnderModelChecking() {
        LinChecker.check(Mmapcache.class, modelCheckingLight());
    }

    @Test
    void mmapcacheIsLinearizableUnderStress() {
        LinChecker.check(Mmapcache.class, stress());
    }
}
