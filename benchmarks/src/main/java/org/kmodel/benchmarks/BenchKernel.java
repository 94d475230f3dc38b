package org.kmodel.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Set;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;
import org.kmodel.livepatch.testing.TestLivePatch;

/**
 * A kernel for the live-patching benchmarks: the livepatch bundle's core with the three engines, its tasks and
 * ftrace (from its test-support export, retrying an incomplete transition every millisecond), and one patchable
 * function {@code bench_fn}.
 */
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

    final TestLivePatch kernel;

    BenchKernel(String engine) {
        kernel = TestLivePatch.boot(QuietLog.INSTANCE, Set.of("bench_fn"), engine, 1);
    }

    static KlpPatch patch(String name) {
        return new KlpPatch(
                name,
                List.of(new KlpObject(KernelFunction.VMLINUX, List.of(new KlpFunc("bench_fn", NEW_FUNC)))),
                false);
    }

    void close() {
        kernel.close();
    }
}
