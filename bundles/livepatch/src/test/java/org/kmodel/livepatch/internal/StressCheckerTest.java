package org.kmodel.livepatch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.livepatch.KTask;

/**
 * The acceptance checker of issue 10: eight user tasks and a kernel thread make system calls that each call
 * both patchable functions, while a patch is applied and reverted 100 times ({@link #CYCLES}). Every call records the version
 * it ran. Checked: every system call made exactly its two calls (none lost or duplicated); no system call
 * mixed versions (livepatch, kGraft); no system call that started after a switch completed ran other code
 * than the switch's target (all three).
 */
class StressCheckerTest {
    /** What a system call must run: the version, once a switch completed; null during a transition. */
    private record Expect(int version) {}

    /**
     * Apply/revert cycles per engine: 100 is the acceptance figure (about 25-40 s per engine on 2 busy
     * cores, {@code -Dkmodel.livepatch.stress.cycles=100}); the default build runs 15.
     */
    static final int CYCLES = Integer.getInteger("kmodel.livepatch.stress.cycles", 15);

    private volatile Expect expect = new Expect(0);
    private final AtomicLong syscalls = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    @ParameterizedTest
    @ValueSource(strings = {"livepatch", "kgraft", "kpatch"})
    void applyAndRevert100Times(String engine) throws Exception {
        boolean noMixing = !engine.equals("kpatch");
        try (Harness h = new Harness(engine)) {
            List<KTask> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(h.tasks.spawn("stress" + i, t -> {
                    while (!t.stopping()) {
                        t.syscall("stress", () -> {
                            check(noMixing);
                            return null;
                        });
                    }
                }));
            }
            tasks.add(h.tasks.kthread("kstress", () -> {
                check(noMixing);
                KTask me = h.tasks.current();
                me.sleep(1);
            }));
            for (int i = 1; i <= CYCLES; i++) {
                expect = null;
                try {
                    h.core.enablePatch(Harness.patch("p" + i, i, false));
                } catch (RuntimeException e) {
                    throw new AssertionError(
                            h.log.lines.stream()
                                    .filter(l -> l.contains("kpatch"))
                                    .limit(20)
                                    .toList()
                                    .toString(),
                            e);
                }
                assertTrue(h.settle(10_000), "patching transition " + i + " completed");
                expect = new Expect(i);
                progress();
                expect = null;
                h.core.setEnabled("p" + i, false);
                assertTrue(h.settle(10_000), "unpatching transition " + i + " completed");
                expect = new Expect(0);
                progress();
            }
            tasks.forEach(KTask::stop);
            assertEquals(
                    0,
                    failures.size(),
                    engine + ": " + failures.size() + " failures, first: "
                            + failures.stream().limit(5).toList());
            assertEquals(List.of(), h.core.patches(), "every patch freed");
            assertEquals(List.of(), h.gets, "every patch module reference dropped");
            assertTrue(syscalls.get() > 2L * CYCLES * 9, "syscalls made: " + syscalls.get());
        }
    }

    /** One system call's body: both functions, each recording its version. */
    private void check(boolean noMixing) {
        Expect before = expect;
        List<Integer> calls = new ArrayList<>();
        Harness.CALLS.set(calls);
        int a = Harness.callA(7);
        int b = Harness.callB(7);
        Harness.CALLS.remove();
        syscalls.incrementAndGet();
        if (calls.size() != 2 || a != 7 || (b != 7 && b != 8)) {
            failures.add("lost or duplicated calls: " + calls + " a=" + a + " b=" + b);
            return;
        }
        Set<Integer> versions = new HashSet<>(calls);
        if (noMixing && versions.size() > 1) {
            failures.add("one system call mixed versions " + calls);
        }
        if (before != null && !versions.equals(Set.of(before.version()))) {
            failures.add("ran " + calls + " after the switch to " + before.version() + " completed");
        }
    }

    /** Lets every task make a few system calls in the settled state. */
    private void progress() throws InterruptedException {
        long target = syscalls.get() + 20;
        long until = System.currentTimeMillis() + 10_000;
        while (syscalls.get() < target && System.currentTimeMillis() < until) {
            Thread.sleep(0, 200_000);
        }
    }
}
