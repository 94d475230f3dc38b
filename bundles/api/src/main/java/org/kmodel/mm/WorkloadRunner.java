package org.kmodel.mm;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** Runs workloads on isolated kernel instances: trace replay, synthetic generators and the reproduction table. */
@ProviderType
public interface WorkloadRunner {
    /** Replays a page-fault/VMA event trace (docs/vmacache.md#trace-format, plain or .xz). Malformed lines give EINVAL with the line number. */
    WorkloadResult replay(String design, Path trace);

    /** Runs the synthetic generator {@code name} ("boot", "kbuild", "ebizzy") with {@code seed}. */
    WorkloadResult workload(String design, String name, long seed);

    /** Names of the synthetic generators. */
    List<String> workloads();

    /**
     * Every design on every generator ({@code seeds} seeds each, results averaged by lookups), with the
     * article's numbers in {@link WorkloadResult#published}; {@code progress} receives a line per run.
     */
    List<WorkloadResult> table(int seeds, Consumer<String> progress);
}
