package org.kmodel.mm.workload.internal;

import org.kmodel.mm.CacheStats;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.MmService;

public class GenProbe {
    public static void main(String[] a) {
        MmService s = Kernels.all();
        for (String wl : a[0].split(",")) {
            for (String d : a[1].split(",")) {
                double sum = 0;
                int seeds = Integer.parseInt(a[2]);
                StringBuilder sb = new StringBuilder();
                for (int seed = 1; seed <= seeds; seed++) {
                    MmKernel k = s.newInstance(d);
                    long t0 = System.nanoTime();
                    Workloads.run(k, wl, seed, (x, y) -> {});
                    CacheStats st = k.currentStats();
                    sum += st.hitRate();
                    sb.append(String.format(
                            " %.2f(%dk,inv %d,stale %d,%.1fs)",
                            st.hitRate(),
                            st.calls / 1000,
                            st.invalidations,
                            st.staleRejected,
                            (System.nanoTime() - t0) / 1e9));
                }
                System.out.printf("%-7s %-10s mean %.2f  %s%n", wl, d, sum / seeds, sb);
            }
        }
    }
}
