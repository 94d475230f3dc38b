package org.kmodel.mm.workload.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.MmService;
import org.kmodel.mm.WorkloadResult;
import org.kmodel.mm.WorkloadRunner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs replays, generators and the reproduction table, each on a fresh kernel instance from
 * {@link MmService#newInstance} so the running kernel is not disturbed. Every figure is measured by running
 * the model: the table holds the article's numbers only as the column to compare against.
 */
@Component(service = WorkloadRunner.class)
public class WorkloadRunnerComponent implements WorkloadRunner {
    private final MmService mm;

    @Activate
    public WorkloadRunnerComponent(@Reference MmService mm) {
        this.mm = mm;
    }

    @Override
    public WorkloadResult replay(String design, Path trace) {
        if (!Files.isReadable(trace)) {
            throw new KernelException(Errno.ENOENT, trace.toString());
        }
        WorkloadResult r = new TraceReplay(mm.newInstance(design))
                .run(trace, trace.getFileName().toString());
        return r;
    }

    @Override
    public WorkloadResult workload(String design, String name, long seed) {
        return run(design, name, seed, (d, t) -> {});
    }

    private WorkloadResult run(String design, String name, long seed, ProcMix.Progress progress) {
        if (!Workloads.NAMES.contains(name)) {
            throw new KernelException(
                    Errno.EINVAL,
                    "unknown workload '" + name + "' (known: " + String.join(", ", Workloads.NAMES) + ")");
        }
        MmKernel k = mm.newInstance(design);
        long t0 = System.nanoTime();
        Workloads.run(k, name, seed, progress);
        CacheStats s = k.currentStats();
        WorkloadResult r = new WorkloadResult();
        r.workload = name;
        r.design = design;
        r.seed = seed;
        r.lookups = s.calls;
        r.events = s.calls;
        r.hits = s.hits;
        r.invalidations = s.invalidations;
        r.staleRejected = s.staleRejected;
        r.nanos = System.nanoTime() - t0;
        r.published = Workloads.published(name, design);
        r.publishedSource = Workloads.publishedSource(name, design);
        return r;
    }

    @Override
    public List<String> workloads() {
        return Workloads.NAMES;
    }

    @Override
    public List<WorkloadResult> table(int seeds, Consumer<String> progress) {
        if (seeds < 1 || seeds > 100) {
            throw new KernelException(Errno.EINVAL, "seeds must be 1..100");
        }
        List<String> designs = new ArrayList<>();
        for (String d : Workloads.TABLE_DESIGNS) {
            if (mm.cacheDesigns().contains(d)) {
                designs.add(d);
            }
        }
        List<WorkloadResult> out = new ArrayList<>();
        int total = Workloads.NAMES.size() * designs.size() * seeds;
        int n = 0;
        for (String w : Workloads.NAMES) {
            for (String d : designs) {
                WorkloadResult sum = null;
                for (int seed = 1; seed <= seeds; seed++) {
                    WorkloadResult r = run(d, w, seed, (x, y) -> {});
                    n++;
                    progress.accept(String.format(
                            "[%d/%d] %s %s seed %d: %.2f %% of %d lookups",
                            n, total, w, d, seed, r.hitRate(), r.lookups));
                    sum = sum == null ? r : add(sum, r);
                }
                sum.seed = seeds;
                out.add(sum);
            }
        }
        return out;
    }

    /** Pools two runs (the table's rate is hits over lookups across seeds). */
    private static WorkloadResult add(WorkloadResult a, WorkloadResult b) {
        a.lookups += b.lookups;
        a.events += b.events;
        a.hits += b.hits;
        a.invalidations += b.invalidations;
        a.staleRejected += b.staleRejected;
        a.nanos += b.nanos;
        return a;
    }
}
