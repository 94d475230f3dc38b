package org.kmodel.module.internal;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.module.ModuleSignatureVerifier;

/**
 * The loader's patchable function {@code module_sig_check} (kernel/module/signing.c; 3.x kernel/module.c),
 * see {@link KernelFunction}. Its erased type is {@code (Object image, Object release, boolean enforce,
 * boolean forced, Object verifier, Object log) Object}; a replacement may call {@link KernelFunction#original()}.
 */
final class ModuleFunctions {
    static final KernelFunction MODULE_SIG_CHECK;
    private static final MethodHandle MODULE_SIG_CHECK_CALL;

    static {
        try {
            MODULE_SIG_CHECK = KernelFunction.define(
                    KernelFunction.VMLINUX,
                    "module_sig_check",
                    MethodHandles.lookup()
                            .findStatic(
                                    ModuleSigCheck.class,
                                    "check",
                                    methodType(
                                            ModuleSigCheck.Result.class,
                                            byte[].class,
                                            KernelRelease.class,
                                            boolean.class,
                                            boolean.class,
                                            ModuleSignatureVerifier.class,
                                            KernelLog.class)));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        MODULE_SIG_CHECK_CALL = MODULE_SIG_CHECK.invoker();
    }

    private ModuleFunctions() {}

    static ModuleSigCheck.Result moduleSigCheck(
            byte[] image,
            KernelRelease release,
            boolean enforce,
            boolean forced,
            ModuleSignatureVerifier verifier,
            KernelLog log) {
        try {
            return (ModuleSigCheck.Result)
                    MODULE_SIG_CHECK_CALL.invokeExact(image, release, enforce, forced, verifier, log);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }
}
