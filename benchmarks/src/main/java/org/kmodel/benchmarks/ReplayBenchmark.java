package org.kmodel.mm.workload.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.kmodel.mm.MmService;
import org.kmodel.mm.cache.largest.internal.LargestVmaCache;
import org.kmodel.mm.cache.lru.internal.LruVmaCache;
import org.kmodel.mm.cache.mmapcache.internal.MmapCache;
import org.kmodel.mm.cache.none.internal.NoVmaCache;
import org.kmodel.mm.cache.vmacache.internal.VmaCache;
import org.kmodel.mm.internal.MmComponent;
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
 * Trace replay speed (issue 3 target: at least 5 million events per second): the decompressed ebz trace
 * (449 k events) replayed from memory on a fresh kernel instance per call. Events per second = 449,000 /
 * the reported seconds per operation. Set -Dkmodel.trace=FILE for another trace.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReplayBenchmark {
    @Param({"vmacache", "mmapcache"})
    public String design;

    private byte[] trace;
    private MmService mm;

    @Setup
    public void setUp() throws IOException {
        Path p = Path.of(System.getProperty("kmodel.trace", "../shared/traces/ebz.events.tsv.xz"));
        try (InputStream in = TraceReplay.open(p)) {
            trace = in.readAllBytes();
        }
        mm = MmComponent.standalone(List.of(new MmapCache(), new LargestVmaCache(), new VmaCache(),
                new LruVmaCache(), new NoVmaCache()), null);
    }

    @Benchmark
    public long replay() throws IOException {
        TraceReplay r = new TraceReplay(mm.newInstance(design));
        r.run(new ByteArrayInputStream(trace));
        return r.result("bench", 0).hits;
    }
}
