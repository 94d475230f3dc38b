package org.kmodel.mm.workload.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.WorkloadResult;
import org.kmodel.mm.workload.internal.TraceReplay;

/** The workload bundle's trace replay for a test or benchmark that runs without OSGi. */
public final class TestReplay {
    private TestReplay() {}

    /** The events of a trace file, decompressed if it ends in {@code .xz}. */
    public static InputStream open(Path trace) throws IOException {
        return TraceReplay.open(trace);
    }

    /** Replays {@code events} on {@code kernel}; the result is named {@code name}, with no time taken. */
    public static WorkloadResult replay(MmKernel kernel, InputStream events, String name) throws IOException {
        TraceReplay r = new TraceReplay(kernel);
        r.run(events);
        return r.result(name, 0);
    }
}
