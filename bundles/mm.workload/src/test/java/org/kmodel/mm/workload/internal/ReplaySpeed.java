package org.kmodel.mm.workload.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import org.kmodel.mm.MmService;

/** Manual replay-speed check (the JMH ReplayBenchmark is the reference): java ... ReplaySpeed TRACE [design]. */
public final class ReplaySpeed {
    private ReplaySpeed() {}

    public static void main(String[] a) throws Exception {
        byte[] trace;
        try (InputStream in = TraceReplay.open(Path.of(a[0]))) {
            trace = in.readAllBytes();
        }
        MmService s = Kernels.all();
        for (int i = 0; i < Integer.getInteger("rounds", 10); i++) {
            TraceReplay r = new TraceReplay(s.newInstance(a.length > 1 ? a[1] : "vmacache"));
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            r.run(new ByteArrayInputStream(trace));
            long ns = System.nanoTime() - t0;
            long cpu = mx.getCurrentThreadCpuTime() - c0;
            long ev = r.result("x", ns).events;
            System.out.printf(
                    "%d events in %.1f ms wall, %.1f ms CPU: %.2f M events/s wall, %.2f M events/CPU-s%n",
                    ev, ns / 1e6, cpu / 1e6, ev * 1e3 / ns, ev * 1e3 / cpu);
            if (i == 0) {
                System.out.printf(
                        "hit rate %.2f %%, layout checks failed: %d, first: %s%n",
                        r.result("x", ns).hitRate(),
                        r.result("x", ns).checkMismatches,
                        r.result("x", ns).firstMismatch);
            }
        }
    }
}
