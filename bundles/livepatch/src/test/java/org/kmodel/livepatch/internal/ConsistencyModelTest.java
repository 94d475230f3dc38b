package org.kmodel.livepatch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.livepatch.KTask;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpCallbacks;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;

/** The three consistency models with a task parked inside a function, and the bad-input cases of issue 10. */
class ConsistencyModelTest {
    /** A user task that calls lp_test_a in a loop of system calls; returns once it is parked in it. */
    private static KTask parkedInA(Harness h) throws InterruptedException {
        KTask t = h.tasks.spawn("parked", me -> {
            while (!me.stopping()) {
                me.syscall("read", () -> Harness.callA(1));
            }
        });
        t.parkIn("lp_test_a", false);
        assertTrue(t.awaitParked(5_000), "parked");
        return t;
    }

    @Test
    void unpatchedSiteIsTheOriginalItself() {
        try (Harness h = new Harness("livepatch")) {
            assertSame(Harness.FN_A.original(), Harness.FN_A.target(), "no dispatcher while nothing is patched");
            assertEquals(1, Harness.callA(1));
        }
    }

    @Test
    void kpatchRefusesWithEbusyWhileATaskIsParkedInAReplacedFunction() throws Exception {
        try (Harness h = new Harness("kpatch")) {
            h.core.kpatchRetries = 3;
            KTask t = parkedInA(h);
            assertEquals(List.of("lp_test_a"), t.stack());
            KernelException e =
                    assertThrows(KernelException.class, () -> h.core.enablePatch(Harness.patch("kp", 1, false)));
            assertEquals(Errno.EBUSY, e.errno());
            assertTrue(h.log.contains("kpatch: activeness safety check failed for lp_test_a"), h.log.lines.toString());
            assertEquals(List.of(), h.core.patches(), "nothing registered");
            assertEquals(List.of(), h.gets, "no module reference kept");
            assertFalse(Harness.FN_B.target() != Harness.FN_B.original(), "sites back to the original");
            t.wake();
            h.core.enablePatch(Harness.patch("kp", 1, false));
            assertTrue(h.log.contains("kpatch: loaded patch module 'kp'"));
            assertTrue(h.core.find("kp").pauseNanos > 0, "the pause is measured");
            t.stop();
        }
    }

    @Test
    void livepatchTransitionWaitsForTheParkedTaskThenCompletes() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            KTask t = parkedInA(h);
            h.core.enablePatch(Harness.patch("lp", 1, false));
            Thread.sleep(50); // 25 passes of the 2 ms work
            assertTrue(h.core.inTransition(), "transition stays 1 while the task sleeps in lp_test_a");
            assertEquals(TaskImpl.UNPATCHED, t.patchState());
            assertEquals(1, Harness.callA(5) == 5 ? 1 : 0);
            t.wake();
            assertTrue(h.settle(5_000), "completes once the task woke and returned to user space");
            assertTrue(h.log.contains("livepatch: 'lp': patching complete"));
            assertEquals(TaskImpl.UNDEFINED, t.patchState());
            t.stop();
        }
    }

    @Test
    void forceCompletesAndThePatchModuleCanNeverBeRemoved() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            KTask t = parkedInA(h);
            h.core.enablePatch(Harness.patch("lp", 1, false));
            assertTrue(h.core.inTransition());
            h.core.force("lp");
            assertFalse(h.core.inTransition(), "force completes the transition");
            assertTrue(h.log.contains("livepatch: forcing remaining tasks to the patched state"));
            assertTrue(h.core.find("lp").forced);
            t.wake();
            h.core.setEnabled("lp", false);
            assertTrue(h.settle(5_000));
            assertEquals(List.of(), h.core.patches(), "disabled and freed");
            assertEquals(List.of("lp"), h.gets, "but the module reference is never dropped: rmmod stays EBUSY");
            t.stop();
        }
    }

    @Test
    void kgraftWaitsForTheParkedTaskAtTheBoundary() throws Exception {
        try (Harness h = new Harness("kgraft")) {
            KTask t = parkedInA(h);
            h.core.enablePatch(Harness.patch("kg", 1, false));
            Thread.sleep(30);
            assertTrue(h.core.inTransition(), "kGraft has no stack check: the sleeper holds the transition");
            t.wake();
            assertTrue(h.settle(5_000));
            assertTrue(h.log.contains("kgr: 'kg': patching complete"), h.log.lines.toString());
            t.stop();
        }
    }

    @Test
    void badInputChangesNothing() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            KlpPatch nope = new KlpPatch(
                    "bad",
                    List.of(new KlpObject(
                            KernelFunction.VMLINUX, List.of(new KlpFunc("no_such_function", Harness.FN_A.original())))),
                    false);
            assertEquals(
                    Errno.EINVAL,
                    assertThrows(KernelException.class, () -> h.core.enablePatch(nope))
                            .errno());
            assertTrue(h.log.contains("livepatch: symbol 'no_such_function' not found in symbol table"));

            KernelException plain = assertThrows(
                    KernelException.class, () -> h.core.enablePatch(Harness.patch("plain_module", 1, false)));
            assertEquals(Errno.EINVAL, plain.errno());
            assertTrue(h.log.contains("livepatch: module plain_module is not marked as a livepatch module"));

            KernelException type = assertThrows(
                    KernelException.class,
                    () -> h.core.enablePatch(new KlpPatch(
                            "typed",
                            List.of(new KlpObject(
                                    KernelFunction.VMLINUX,
                                    List.of(new KlpFunc(
                                            "lp_test_a", java.lang.invoke.MethodHandles.constant(String.class, "x"))))),
                            false)));
            assertEquals(Errno.EINVAL, type.errno());
            assertEquals(List.of(), h.core.patches());

            KTask t = parkedInA(h);
            h.core.enablePatch(Harness.patch("first", 1, false));
            KernelException busy =
                    assertThrows(KernelException.class, () -> h.core.enablePatch(Harness.patch("second", 2, false)));
            assertEquals(Errno.EBUSY, busy.errno(), "one transition at a time");
            assertEquals(1, h.core.patches().size());
            t.wake();
            assertTrue(h.settle(5_000));
            h.core.enablePatch(Harness.patch("second", 2, false));
            assertTrue(h.settle(5_000));
            KernelException notTop = assertThrows(KernelException.class, () -> h.core.setEnabled("first", false));
            assertEquals(Errno.EBUSY, notTop.errno(), "only the topmost patch can be disabled");
            assertEquals(
                    Errno.EINVAL,
                    assertThrows(KernelException.class, () -> h.core.setEnabled("second", true))
                            .errno());
            assertEquals(
                    Errno.EINVAL,
                    assertThrows(KernelException.class, () -> h.core.force("second"))
                            .errno());
            assertEquals(2, h.core.patches().size());
            t.stop();
        }
    }

    @Test
    void stackingAndAtomicReplace() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            List<Integer> calls = new ArrayList<>();
            Harness.CALLS.set(calls);
            h.core.enablePatch(Harness.patch("one", 1, false));
            assertTrue(h.settle(5_000));
            h.core.enablePatch(Harness.patch("two", 2, false));
            assertTrue(h.settle(5_000));
            Harness.callA(0);
            assertEquals(List.of(2), calls, "the newest patch on the stack runs");
            // A cumulative patch that only names lp_test_a: lp_test_b goes back to the original (a nop func).
            KlpPatch three = new KlpPatch(
                    "three",
                    List.of(new KlpObject(
                            KernelFunction.VMLINUX,
                            List.of(Harness.patch("x", 3, false)
                                    .objects()
                                    .get(0)
                                    .funcs()
                                    .get(0)))),
                    true);
            h.core.enablePatch(three);
            assertTrue(h.settle(5_000));
            calls.clear();
            Harness.callA(0);
            Harness.callB(0);
            assertEquals(List.of(3, 0), calls);
            assertEquals(
                    List.of("three"),
                    h.core.patches().stream().map(p -> p.name()).toList(),
                    "replaced patches freed");
            assertEquals(List.of("three"), h.gets);
            assertSame(Harness.FN_B.original(), Harness.FN_B.target(), "no nop left behind");
            Harness.CALLS.remove();
        }
    }

    @Test
    void callbacksRunInOrderAndAPrePatchFailureAborts() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            List<String> seen = new ArrayList<>();
            KlpCallbacks cb = new KlpCallbacks() {
                @Override
                public int prePatch(String o) {
                    seen.add("pre_patch " + o);
                    return seen.size() == 1 ? -Errno.ENODEV.number() : 0;
                }

                @Override
                public void postPatch(String o) {
                    seen.add("post_patch " + o);
                }

                @Override
                public void preUnpatch(String o) {
                    seen.add("pre_unpatch " + o);
                }

                @Override
                public void postUnpatch(String o) {
                    seen.add("post_unpatch " + o);
                }
            };
            KlpObject obj = Harness.patch("cb", 1, false).objects().get(0);
            KlpPatch p = new KlpPatch("cb", List.of(new KlpObject(obj.name(), obj.funcs(), cb)), false);
            assertEquals(
                    Errno.ENODEV,
                    assertThrows(KernelException.class, () -> h.core.enablePatch(p))
                            .errno());
            assertEquals(List.of(), h.core.patches());
            assertFalse(h.core.inTransition());
            h.core.enablePatch(p);
            assertTrue(h.settle(5_000));
            h.core.setEnabled("cb", false);
            assertTrue(h.settle(5_000));
            assertEquals(
                    List.of(
                            "pre_patch vmlinux",
                            "pre_patch vmlinux",
                            "post_patch vmlinux",
                            "pre_unpatch vmlinux",
                            "post_unpatch vmlinux"),
                    seen);
        }
    }

    @Test
    void shadowVariables() {
        ShadowImpl s = new ShadowImpl();
        Object a = new Object();
        Object b = new Object();
        AtomicInteger made = new AtomicInteger();
        assertEquals("x", s.alloc(a, 1, () -> "x" + (made.incrementAndGet() > 1 ? "!" : "")));
        assertNull(s.alloc(a, 1, () -> "y"), "klp_shadow_alloc refuses an existing one");
        assertEquals("x", s.getOrAlloc(a, 1, () -> "z"));
        assertEquals("w", s.getOrAlloc(b, 1, () -> "w"));
        assertNull(s.get(a, 2));
        s.free(a, 1);
        assertNull(s.get(a, 1));
        s.freeAll(1);
        assertEquals(0, s.count());
    }

    @Test
    void procPidStackShowsTheParkedFunction() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            KTask t = parkedInA(h);
            assertEquals(
                    "[<0>] schedule+0x0/0x0\n[<0>] lp_test_a+0x0/0x0\n[<0>] entry_SYSCALL_64_after_hwframe+0x0/0x0\n",
                    LivePatchFiles.stack(t, KernelRelease.V6_18));
            assertTrue(t.inKernel());
            t.wake();
            t.stop();
        }
    }
}
