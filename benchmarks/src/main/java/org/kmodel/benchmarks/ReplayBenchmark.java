package org.kmodel.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kmodel.mm.MmService;
import org.kmodel.mm.cache.largest.testing.TestLargest;
import org.kmodel.mm.cache.lru.testing.TestLru;
import org.kmodel.mm.cache.mmapcache.testing.TestMmapCache;
import org.kmodel.mm.cache.none.testing.TestNoCache;
import org.kmodel.mm.cache.vmacache.testing.TestVmaCache;
import org.kmodel.mm.testing.TestMm;
import org.kmodel.mm.workload.testing.TestReplay;
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
        try (InputStream in = TestReplay.open(p)) {
            trace = in.readAllBytes();
        }
        mm = TestMm.standalone(
                List.of(
                        TestMmapCache.design(),
                        TestLargest.design(),
                        TestVmaCache.design(),
                        TestLru.design(),
                        TestNoCache.design()),
                null);
    }

    @Benchmark
    public long replay() throws IOException {
        return TestReplay.replay(mm.newInstance(design), new ByteArrayInputStream(trace), "bench").hits;
    }
}
