package org.kmodel.benchmarks;

import java.util.concurrent.TimeUnit;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.kernel.testing.TestKernel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the taint surfaces the oops path and /proc read: print_tainted() and the chktaint decoder, per
 * release profile. A baseline for later subsystem benchmarks (module load taints, tracepoint checks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TaintBenchmark {
    @Param({"V3_15", "V6_18"})
    public KernelRelease release;

    private final long mask =
            TaintFlag.maskOf(java.util.List.of(TaintFlag.PROPRIETARY_MODULE, TaintFlag.WARN, TaintFlag.OOT_MODULE));

    @Benchmark
    public String printTainted() {
        return TestKernel.printTainted(mask, release);
    }

    @Benchmark
    public Object chktaint() {
        return TestKernel.chktaint(mask, release);
    }
}
