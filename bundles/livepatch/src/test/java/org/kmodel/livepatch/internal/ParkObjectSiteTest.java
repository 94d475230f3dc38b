package org.kmodel.livepatch.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;
import org.kmodel.livepatch.KTask;
import org.kmodel.livepatch.KernelFunction;

/** Parking works on a site whose erased type has reference parameters and result (like cmdline_proc_show). */
class ParkObjectSiteTest {
    static final KernelFunction SHOW;
    static final MethodHandle CALL;

    static {
        try {
            SHOW = KernelFunction.define(
                    KernelFunction.VMLINUX,
                    "lp_test_show",
                    MethodHandles.lookup()
                            .findStatic(
                                    ParkObjectSiteTest.class,
                                    "show",
                                    MethodType.methodType(String.class, StringBuilder.class)));
            CALL = SHOW.invoker();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static String show(StringBuilder sb) {
        return sb.toString();
    }

    static String call(StringBuilder sb) {
        try {
            return (String) CALL.invokeExact(sb);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }

    @Test
    void parks() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            KTask t = h.tasks.spawn("reader", me -> {
                while (!me.stopping()) {
                    me.syscall("read", () -> call(new StringBuilder("x")));
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Thread.sleep(50);
            t.parkIn("lp_test_show", false);
            assertTrue(t.awaitParked(5_000), "parked");
            t.wake();
            t.stop();
        }
    }
}
