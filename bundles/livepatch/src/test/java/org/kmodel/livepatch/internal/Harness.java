package org.kmodel.livepatch.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.kmodel.kernel.KernelLog;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;

/**
 * A kernel for the unit tests: the ftrace side, the task table and the core with all three engines, plus
 * two patchable functions whose versions record themselves into the calling task's current system call.
 */
final class Harness implements AutoCloseable {
    /** A log that keeps its lines. */
    static final class Log implements KernelLog {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void printk(Level level, String text) {
            lines.add(text);
        }

        @Override
        public List<Record> records() {
            return List.of();
        }

        @Override
        public long nanosSinceBoot() {
            return 0;
        }

        boolean contains(String s) {
            synchronized (lines) {
                return lines.stream().anyMatch(l -> l.contains(s));
            }
        }
    }

    /** What one system call ran: the version of every function call, in order. */
    static final ThreadLocal<List<Integer>> CALLS = new ThreadLocal<>();

    static final KernelFunction FN_A;
    static final KernelFunction FN_B;
    private static final MethodHandle CALL_A;
    private static final MethodHandle CALL_B;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MethodType t = MethodType.methodType(int.class, int.class);
            FN_A = KernelFunction.define(KernelFunction.VMLINUX, "lp_test_a", l.findStatic(Harness.class, "origA", t));
            FN_B = KernelFunction.define(KernelFunction.VMLINUX, "lp_test_b", l.findStatic(Harness.class, "origB", t));
            CALL_A = FN_A.invoker();
            CALL_B = FN_B.invoker();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void record(int version) {
        List<Integer> l = CALLS.get();
        if (l != null) {
            l.add(version);
        }
    }

    static int origA(int x) {
        record(0);
        return x;
    }

    static int origB(int x) {
        record(0);
        return x + 1;
    }

    /** Replacement of version {@code v}: records v. */
    static int newVersion(int v, int x) {
        record(v);
        return x;
    }

    static int callA(int x) {
        try {
            return (int) CALL_A.invokeExact(x);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }

    static int callB(int x) {
        try {
            return (int) CALL_B.invokeExact(x);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }

    /** A patch replacing both functions with version {@code v}. */
    static KlpPatch patch(String name, int v, boolean replace) {
        try {
            MethodHandle h = MethodHandles.insertArguments(
                    MethodHandles.lookup()
                            .findStatic(
                                    Harness.class,
                                    "newVersion",
                                    MethodType.methodType(int.class, int.class, int.class)),
                    0,
                    v);
            return new KlpPatch(
                    name,
                    List.of(new KlpObject(
                            KernelFunction.VMLINUX, List.of(new KlpFunc("lp_test_a", h), new KlpFunc("lp_test_b", h)))),
                    replace);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    final Log log = new Log();
    final List<String> gets = Collections.synchronizedList(new ArrayList<>());
    private final StandaloneLivePatch kernel;
    final Ftrace ftrace;
    final TaskTable tasks;
    final KlpCore core;

    Harness(String engine) {
        kernel = new StandaloneLivePatch(log, Set.of("lp_test_a", "lp_test_b"), engine, 2, new KlpCore.Modules() {
            @Override
            public boolean loaded(String name) {
                return false;
            }

            @Override
            public boolean livepatchModule(String name) {
                return !name.startsWith("plain");
            }

            @Override
            public boolean get(String name) {
                gets.add(name);
                return true;
            }

            @Override
            public void put(String name) {
                gets.remove(name);
            }
        });
        ftrace = kernel.ftrace;
        tasks = kernel.tasks;
        core = kernel.core;
        tasks.startIdle();
    }

    /** Waits until no transition is in progress; false on timeout. */
    boolean settle(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (core.inTransition()) {
            if (System.currentTimeMillis() > until) {
                return false;
            }
            Thread.sleep(1);
        }
        // The pass that cleared the transition frees a disabled patch after that, under klp_mutex: wait for it.
        core.mutex.lock();
        core.mutex.unlock();
        return true;
    }

    @Override
    public void close() {
        kernel.close();
    }
}
