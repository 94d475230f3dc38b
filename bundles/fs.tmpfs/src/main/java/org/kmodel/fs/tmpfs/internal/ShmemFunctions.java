package org.kmodel.fs.tmpfs.internal;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.vfs.spi.FallocateRequest;

/**
 * tmpfs's patchable function {@code shmem_fallocate} (mm/shmem.c), see {@link KernelFunction}. Erased type:
 * {@code (Object shmemFile, Object request) void}.
 */
final class ShmemFunctions {
    static final KernelFunction SHMEM_FALLOCATE;
    private static final MethodHandle SHMEM_FALLOCATE_CALL;

    static {
        try {
            SHMEM_FALLOCATE = KernelFunction.define(
                    KernelFunction.VMLINUX,
                    "shmem_fallocate",
                    MethodHandles.lookup()
                            .findVirtual(
                                    ShmemFile.class, "shmemFallocate", methodType(void.class, FallocateRequest.class)));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        SHMEM_FALLOCATE_CALL = SHMEM_FALLOCATE.invoker();
    }

    private ShmemFunctions() {}

    static void shmemFallocate(ShmemFile f, FallocateRequest r) {
        try {
            SHMEM_FALLOCATE_CALL.invokeExact(f, r);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }
}
