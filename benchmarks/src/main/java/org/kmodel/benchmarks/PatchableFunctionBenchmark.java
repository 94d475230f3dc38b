package org.kmodel.benchmarks;

import java.util.concurrent.TimeUnit;
import org.kmodel.livepatch.KTask;
import org.kmodel.livepatch.KernelFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a patchable kernel function (issue 10 targets): unpatched vs a direct call of the original,
 * patched after the transition vs a direct call of the replacement, and during a transition (the dispatcher:
 * stack record, per-task choice) from a task in a system call. Each state is set up before the JIT sees
 * the call, so every fork measures one steady state. {@code site} is the call through the patchable function's
 * call site ({@code KernelFunction.invoker()}) into the livepatch bundle's ftrace and dispatcher, the kernel
 * coming from the bundle's test-support export ({@link BenchKernel}). Run:
 * {@code java -jar benchmarks/target/benchmarks.jar PatchableFunctionBenchmark -f 2 -wi 5 -i 5 -w 1s -r 1s}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class PatchableFunctionBenchmark {
    /** unpatched, patched (transition complete), transition (a task parked elsewhere keeps it open). */
    @Param({"unpatched", "patched", "transition"})
    public String state;

    private BenchKernel k;
    private KTask sleeper;
    private long x;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        k = new BenchKernel("livepatch");
        if (!state.equals("unpatched")) {
            if (state.equals("transition")) {
                // A task parked inside bench_fn keeps the transition open for the whole run.
                sleeper = k.kernel.tasks().spawn("sleeper", t -> {
                    while (!t.stopping()) {
                        t.syscall("read", () -> call(1));
                    }
                });
                sleeper.parkIn("bench_fn", false);
                sleeper.awaitParked(5_000);
            }
            k.kernel.livePatching().enablePatch(BenchKernel.patch("bench"));
            if (state.equals("patched") && k.kernel.livePatching().inTransition()) {
                throw new IllegalStateException("transition did not complete");
            }
        }
        // The benchmark thread is a task in a system call (the dispatcher needs a current task).
        k.kernel.bindCurrentThread(1, "jmh");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (sleeper != null) {
            sleeper.wake();
        }
        k.close();
    }

    static long call(long v) {
        try {
            return (long) BenchKernel.CALL.invokeExact(v);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }

    @Benchmark
    public long directOriginal() {
        return BenchKernel.orig(++x);
    }

    @Benchmark
    public long directReplacement() {
        return BenchKernel.replacement(++x);
    }

    @Benchmark
    public long site() {
        return call(++x);
    }
}
