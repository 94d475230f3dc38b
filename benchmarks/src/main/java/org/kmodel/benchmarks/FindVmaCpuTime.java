package org.kmodel.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * The {@link FindVmaBenchmark} operations timed by the thread's CPU time instead of wall time, for a loaded
 * machine where JMH's wall-clock averages include time spent descheduled. Not a replacement for JMH: no
 * forks, simple warm-up. {@code java -cp benchmarks/target/benchmarks.jar org.kmodel.benchmarks.FindVmaCpuTime}
 */
public final class FindVmaCpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    static long sink;

    private FindVmaCpuTime() {}

    private static double nsPerOp(LongSupplier op, int n) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 7; round++) {
            long c0 = MX.getCurrentThreadCpuTime();
            long acc = 0;
            for (int i = 0; i < n; i++) {
                acc += op.getAsLong();
            }
            long c = MX.getCurrentThreadCpuTime() - c0;
            sink += acc;
            if (round >= 2) {
                best = Math.min(best, (double) c / n);
            }
        }
        return best;
    }

    private static long id(Object o) {
        return o == null ? 0 : 1;
    }

    public static void main(String[] args) {
        for (int vmas : new int[] {100, 10000}) {
            FindVmaBenchmark b = new FindVmaBenchmark();
            b.vmas = vmas;
            b.setUp();
            int n = 5_000_000;
            System.out.printf(
                    "%5d VMAs: tree %.1f ns (rb walk alone %.1f), TreeMap %.1f ns, "
                            + "hit mmapcache %.2f / largest %.2f / vmacache %.2f / lru %.2f ns, core hit %.1f ns, "
                            + "core miss+walk+update %.1f ns, "
                            + "core no cache %.1f ns (CPU time per op)%n",
                    vmas,
                    nsPerOp(() -> id(b.treeFindVmaRandom()), n),
                    nsPerOp(() -> id(b.treeRbWalkRandom()), n),
                    nsPerOp(() -> id(b.treeMapFindVmaRandom()), n),
                    nsPerOp(() -> id(b.hitMmapcache()), n),
                    nsPerOp(() -> id(b.hitLargest()), n),
                    nsPerOp(() -> id(b.hitVmacache()), n),
                    nsPerOp(() -> id(b.hitLru()), n),
                    nsPerOp(() -> id(b.coreFindVmaHit()), n),
                    nsPerOp(() -> id(b.coreFindVmaMissRandom()), n),
                    nsPerOp(() -> id(b.coreFindVmaNoCacheRandom()), n));
        }
    }
}
