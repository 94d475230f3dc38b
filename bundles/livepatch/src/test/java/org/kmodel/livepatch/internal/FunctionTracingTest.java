package org.kmodel.livepatch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.livepatch.FunctionTracing;
import org.kmodel.livepatch.KernelFunction;

/**
 * Issue 10: the function tracers on the patchable functions. Only the filtered functions get the dispatcher
 * (the others stay direct calls); entries carry the parent and the depth among traced functions, returns
 * their duration; a patched function is traced as itself while its replacement runs.
 */
class FunctionTracingTest {
    static final class Recorder implements FunctionTracing.Callback {
        final List<String> events = new ArrayList<>();

        @Override
        public void entry(String function, String parent, int depth) {
            events.add("-> " + function + " <-" + parent + " " + depth);
        }

        @Override
        public void exit(String function, int depth, long nanos) {
            assertTrue(nanos >= 0);
            events.add("<- " + function + " " + depth);
        }
    }

    /** lp_trace_outer calls lp_test_a: a nesting of two patchable functions. */
    static final KernelFunction OUTER;

    private static final MethodHandle CALL_OUTER;

    static {
        try {
            OUTER = KernelFunction.define(
                    KernelFunction.VMLINUX,
                    "lp_trace_outer",
                    MethodHandles.lookup()
                            .findStatic(
                                    FunctionTracingTest.class, "outer", MethodType.methodType(int.class, int.class)));
            CALL_OUTER = OUTER.invoker();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static int outer(int x) {
        return Harness.callA(x) + 1;
    }

    static int callOuter(int x) {
        try {
            return (int) CALL_OUTER.invokeExact(x);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }

    @Test
    void onlyFilteredFunctionsAreArmedAndCallsNest() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            FunctionTracingImpl ft = new FunctionTracingImpl(h.ftrace, KernelRelease.V6_18, Set.of("lp_not_loaded"));
            assertTrue(
                    ft.availableFilterFunctions().containsAll(List.of("lp_test_a", "lp_test_b", "lp_not_loaded")),
                    "defined sites and kallsyms names whose class is not loaded yet");
            Recorder r = new Recorder();
            ft.trace(r, Set.of("lp_test_a"));
            assertNotSame(Harness.FN_A.original(), Harness.FN_A.target(), "traced: the dispatcher");
            assertSame(Harness.FN_B.original(), Harness.FN_B.target(), "not in the filter: a direct call");
            assertEquals(5, Harness.callA(5));
            Harness.callB(1);
            assertEquals(List.of("-> lp_test_a <-null 0", "<- lp_test_a 0"), r.events);

            r.events.clear();
            ft.trace(r, null); // empty filter: everything
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            h.tasks.spawn("t", me -> {
                me.syscall("read", () -> callOuter(1));
                done.countDown();
            });
            assertTrue(done.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(
                    List.of(
                            "-> lp_trace_outer <-null 0",
                            "-> lp_test_a <-lp_trace_outer 1",
                            "<- lp_test_a 1",
                            "<- lp_trace_outer 0"),
                    r.events,
                    "depth counts traced functions; the parent is the caller's frame");

            assertEquals(
                    Errno.EINVAL,
                    assertThrows(KernelException.class, () -> ft.trace(r, Set.of("nosuch")))
                            .errno());
            ft.trace(null, null);
            assertSame(Harness.FN_A.original(), Harness.FN_A.target(), "nop: direct calls again");
            assertSame(Harness.FN_B.original(), Harness.FN_B.target());
        }
    }

    @Test
    void aPatchedFunctionIsTracedWhileItsReplacementRuns() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            FunctionTracingImpl ft = new FunctionTracingImpl(h.ftrace, KernelRelease.V6_18, Set.of("lp_not_loaded"));
            h.core.enablePatch(Harness.patch("lp", 1, false));
            assertTrue(h.settle(5_000));
            Recorder r = new Recorder();
            ft.trace(r, Set.of("lp_test_a"));
            List<Integer> calls = new ArrayList<>();
            Harness.CALLS.set(calls);
            Harness.callA(1);
            Harness.CALLS.remove();
            assertEquals(List.of(1), calls, "the replacement ran");
            assertEquals(List.of("-> lp_test_a <-null 0", "<- lp_test_a 0"), r.events);
            ft.trace(null, null);
            h.core.setEnabled("lp", false);
            assertTrue(h.settle(5_000));
        }
    }
}
