package org.kmodel.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An enabled kmodel tracepoint writing into the ring buffer next to a JFR event committed while a recording
 * runs, in the same fork (issue 14: the tracepoint should cost at most what JFR does). Run:
 * {@code java -jar benchmarks/target/benchmarks.jar TracepointVsJfrBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TracepointVsJfrBenchmark {
    /** An enabled JFR event with the same one int field as the tracepoint. */
    @jdk.jfr.Name("kmodel.bench.JfrOn")
    @jdk.jfr.StackTrace(false)
    static final class JfrOn extends jdk.jfr.Event {
        int x;
    }

    private Recording recording;
    private int x;

    @Setup(Level.Trial)
    public void startRecording() {
        recording = new Recording();
        recording.enable(JfrOn.class).withoutStackTrace();
        recording.setToDisk(false);
        recording.setMaxSize(64L << 20);
        recording.start();
    }

    @TearDown(Level.Trial)
    public void stopRecording() {
        recording.stop();
        recording.close();
    }

    @Benchmark
    public int enabledTracepointIntoRingBuffer() {
        TracepointBenchmark.ON.fire(x & 127);
        return ++x;
    }

    /** The clock alone: what reading System.nanoTime costs on this machine (the trace clock's source). */
    @Benchmark
    public long systemNanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public int jfrEventWithRecording() {
        JfrOn e = new JfrOn();
        e.x = x;
        e.commit();
        return ++x;
    }
}
