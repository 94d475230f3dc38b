package org.kmodel.mm.internal;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.kmodel.livepatch.KernelFunction;

/**
 * mm's patchable function {@code find_vma} (mm/mmap.c), see {@link KernelFunction}: erased type
 * {@code (Object findVma, Object task, Object mm, long addr) Object}.
 */
final class MmFunctions {
    static final KernelFunction FIND_VMA;
    private static final MethodHandle FIND_VMA_CALL;

    static {
        try {
            FIND_VMA = KernelFunction.define(
                    KernelFunction.VMLINUX,
                    "find_vma",
                    MethodHandles.lookup()
                            .findVirtual(
                                    FindVma.class,
                                    "findVma",
                                    methodType(Vma.class, TaskStruct.class, MmStruct.class, long.class)));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        FIND_VMA_CALL = FIND_VMA.invoker();
    }

    private MmFunctions() {}

    static Vma findVma(FindVma f, TaskStruct cur, MmStruct mm, long addr) {
        try {
            return (Vma) FIND_VMA_CALL.invokeExact(f, cur, mm, addr);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }
}
