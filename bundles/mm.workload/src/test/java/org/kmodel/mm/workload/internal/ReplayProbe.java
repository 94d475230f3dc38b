package org.kmodel.mm.workload.internal;

import java.nio.file.Path;

import org.kmodel.mm.MmService;
import org.kmodel.mm.WorkloadResult;

public class ReplayProbe {
    public static void main(String[] a) {
        MmService s = Kernels.all();
        for (String t : a) {
            for (String d : new String[] {"mmapcache", "largest", "vmacache", "lru", "none"}) {
                TraceReplay r = new TraceReplay(s.newInstance(d));
                WorkloadResult w = r.run(Path.of(t), t);
                System.out.printf("%s %-10s %8d lookups %6.2f%% inval %d stale %d checks %d/%d segv %d %.1f Mev/s%n", t, d,
                        w.lookups, w.hitRate(), w.invalidations, w.staleRejected, w.checkMismatches, w.checks,
                        r.segfaults(), w.events / (w.nanos / 1e3));
            }
        }
    }
}
