package org.kmodel.benchmarks;

import java.util.concurrent.TimeUnit;
import org.kmodel.trace.TraceArray;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;
import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointManager;
import org.kmodel.trace.testing.TestTrace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 5's performance targets: a disabled tracepoint costs at most 0.5 ns over the same call site without
 * one, an enabled one with the ring-buffer probe at most 50 ns per event, next to a disabled JFR event measured
 * in the same run (docs/tracing.md#cost has the mechanisms). Tracepoints are held as the kernel holds
 * {@code __tracepoint_<name>} (a static final, JIT constant) and as a DS component would (an instance field).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar Tracepoint -f 2}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TracepointBenchmark {
    static final TracepointManager CORE = TestTrace.tracepoints();
    /** Only its clock is used: the trace clock starts at the kernel log's boot. */
    static final org.kmodel.kernel.KernelLog BOOT_LOG = new org.kmodel.kernel.KernelLog() {
        private final long boot = System.nanoTime();

        @Override
        public void printk(Level level, String text) {}

        @Override
        public java.util.List<Record> records() {
            return java.util.List.of();
        }

        @Override
        public long nanosSinceBoot() {
            return System.nanoTime() - boot;
        }
    };

    static final Tracepoint OFF;
    static final Tracepoint ON;

    static {
        OFF = CORE.define(TraceEventDefinition.of("bench", "off", new TraceField("int", "x")));
        ON = CORE.define(TraceEventDefinition.of("bench", "on", new TraceField("int", "x")));
        TraceArray array = TestTrace.traceArray(CORE, BOOT_LOG, 4096); // the trace array's default buffer_entries
        array.setEventEnabled("bench", "on", true); // the ring-buffer probe, as `echo 1 > enable` attaches it
    }

    /** A disabled JFR event; JFR is never started in these forks. */
    @jdk.jfr.StackTrace(false)
    static final class JfrOff extends jdk.jfr.Event {
        int value;
    }

    private int x;
    private final int[] a = new int[1024];
    private final int[] b = new int[1024];
    /** A DS component keeps its tracepoint in a field like this one. */
    private Tracepoint offField = OFF;

    private Tracepoint onField = ON;

    @Benchmark
    public int a_baseline() {
        return ++x;
    }

    @Benchmark
    public int b_disabledStaticFinal_guarded() {
        if (OFF.enabled()) {
            OFF.fire(x);
        }
        return ++x;
    }

    @Benchmark
    public int c_disabledStaticFinal_fire() {
        OFF.fire(x); // folded away, except Integer.valueOf for values outside the cache (16 B/op)
        return ++x;
    }

    @Benchmark
    public int d_disabledStaticFinal_fireSmallInt() {
        OFF.fire(x & 127);
        return ++x;
    }

    @Benchmark
    public int e_disabledField_guarded() {
        if (offField.enabled()) {
            offField.fire(x);
        }
        return ++x;
    }

    @Benchmark
    public int f_disabledField_fire() {
        offField.fire(x);
        return ++x;
    }

    @Benchmark
    public int g_jfrDisabledEvent() {
        JfrOff e = new JfrOff();
        e.value = x;
        e.commit();
        return ++x;
    }

    @Benchmark
    public int h_enabledStaticFinal_ringBuffer() {
        ON.fire(x);
        return ++x;
    }

    @Benchmark
    public int i_enabledField_ringBuffer() {
        if (onField.enabled()) {
            onField.fire(x);
        }
        return ++x;
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public int[] j_mapLoop_baseline() {
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i] * 3 + 1;
        }
        return b;
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public int[] k_mapLoop_disabledStaticFinal_guarded() {
        for (int i = 0; i < a.length; i++) {
            if (OFF.enabled()) {
                OFF.fire(i);
            }
            b[i] = a[i] * 3 + 1;
        }
        return b;
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public int[] l_mapLoop_disabledStaticFinal_fire() {
        for (int i = 0; i < a.length; i++) {
            OFF.fire();
            b[i] = a[i] * 3 + 1;
        }
        return b;
    }
}
