package org.kmodel.livepatch.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Set;

import org.kmodel.kernel.KernelLog;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;

/** A kernel for the benchmarks: ftrace, tasks and the core with the three engines, and one patchable function. */
final class BenchKernel {
    static final KernelFunction FN;
    static final MethodHandle CALL;
    static final MethodHandle NEW_FUNC;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MethodType t = MethodType.methodType(long.class, long.class);
            FN = KernelFunction.define(KernelFunction.VMLINUX, "bench_fn", l.findStatic(BenchKernel.class, "orig", t));
            CALL = FN.invoker();
            NEW_FUNC = l.findStatic(BenchKernel.class, "replacement", t);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long orig(long x) {
        return x + 1;
    }

    static long replacement(long x) {
        return x + 2;
    }

    static final KernelLog QUIET = new KernelLog() {
        @Override
        public void printk(Level level, String text) {
        }

        @Override
        public List<Record> records() {
            return List.of();
        }

        @Override
        public long nanosSinceBoot() {
            return 0;
        }
    };

    final Ftrace ftrace = new Ftrace();
    final TaskTable tasks = new TaskTable(ftrace);
    final KlpCore core;

    BenchKernel(String engine) {
        core = new KlpCore(ftrace, QUIET, Set.of("bench_fn"));
        core.addEngine(new LivepatchEngine());
        core.addEngine(new KpatchEngine());
        core.addEngine(new KgraftEngine());
        core.selectEngine(engine);
        core.retryMillis = 1;
        core.kpatchRetryMillis = 1;
        core.modules = new KlpCore.Modules() {
            @Override
            public boolean loaded(String name) {
                return false;
            }

            @Override
            public boolean livepatchModule(String name) {
                return true;
            }

            @Override
            public boolean get(String name) {
                return true;
            }

            @Override
            public void put(String name) {
            }
        };
        KernelFunction.ftrace(ftrace);
    }

    static KlpPatch patch(String name) {
        return new KlpPatch(name, List.of(new KlpObject(KernelFunction.VMLINUX,
                List.of(new KlpFunc("bench_fn", NEW_FUNC)))), false);
    }

    void close() {
        tasks.stopAll();
        core.close();
        KernelFunction.ftrace(null);
        for (FuncState fs : ftrace.functions()) {
            fs.stack = new FuncState.PatchFunc[0];
            fs.tracking = 0;
            fs.parkers = 0;
            fs.traced = false;
            ftrace.retarget(fs);
        }
    }
}
