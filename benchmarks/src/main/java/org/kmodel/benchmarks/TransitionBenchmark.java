package org.kmodel.benchmarks;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
 * A whole transition with 1,000 user tasks that sit in user space (at the kernel/user boundary): one
 * operation enables a patch and waits until every task runs it, then disables it and waits again, so the
 * score is two transitions (for kpatch, two stop_machines of every task). It measures the livepatch bundle's
 * core, engine and task table (from its test-support export, {@link BenchKernel}) through the LivePatching API.
 * Run:
 * {@code java -jar benchmarks/target/benchmarks.jar TransitionBenchmark -f 1 -wi 3 -i 5}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TransitionBenchmark {
    @Param({"livepatch", "kgraft", "kpatch"})
    public String engine;

    @Param("1000")
    public int tasks;

    private BenchKernel k;
    /** The tasks' own threads, to wake them from their sleep in user space at the end. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private int n;

    @Setup(Level.Trial)
    public void setup() {
        k = new BenchKernel(engine);
        for (int i = 0; i < tasks; i++) {
            k.kernel.tasks().spawn("user" + i, t -> {
                threads.add(Thread.currentThread());
                while (!t.stopping()) {
                    try {
                        Thread.sleep(60_000); // in user space
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        threads.forEach(Thread::interrupt);
        k.close();
    }

    @Benchmark
    public void applyAndRevert() throws InterruptedException {
        String name = "p" + (n++);
        k.kernel.livePatching().enablePatch(BenchKernel.patch(name));
        await();
        k.kernel.livePatching().setEnabled(name, false);
        await();
    }

    private void await() throws InterruptedException {
        while (k.kernel.livePatching().inTransition()) {
            Thread.sleep(0, 100_000);
        }
    }
}
