package org.kmodel.kernel.internal;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.kmodel.kernel.BootParams;
import org.kmodel.kernel.Taint;
import org.kmodel.livepatch.KernelFunction;

/**
 * The kernel core's patchable functions (see {@link KernelFunction}): {@code cmdline_proc_show}
 * (fs/proc/cmdline.c, what the kernel's livepatch-sample replaces) and {@code proc_taint} (kernel/sysctl.c).
 * Unpatched each call folds to a direct call of the method below.
 */
final class KernelFunctions {
    static final KernelFunction CMDLINE_PROC_SHOW;
    static final KernelFunction PROC_TAINT;
    private static final MethodHandle CMDLINE_PROC_SHOW_CALL;
    private static final MethodHandle PROC_TAINT_CALL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CMDLINE_PROC_SHOW = KernelFunction.define(
                    KernelFunction.VMLINUX,
                    "cmdline_proc_show",
                    l.findStatic(KernelFunctions.class, "cmdlineProcShow", methodType(String.class, BootParams.class)));
            PROC_TAINT = KernelFunction.define(
                    KernelFunction.VMLINUX,
                    "proc_taint",
                    l.findStatic(
                            KernelFunctions.class, "procTaint", methodType(void.class, Taint.class, String.class)));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        CMDLINE_PROC_SHOW_CALL = CMDLINE_PROC_SHOW.invoker();
        PROC_TAINT_CALL = PROC_TAINT.invoker();
    }

    private KernelFunctions() {}

    /** /proc/cmdline's content without the newline. */
    static String cmdline(BootParams boot) {
        try {
            return (String) CMDLINE_PROC_SHOW_CALL.invokeExact(boot);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }

    /** A write to /proc/sys/kernel/tainted. */
    static void taint(Taint taint, String text) {
        try {
            PROC_TAINT_CALL.invokeExact(taint, text);
        } catch (Throwable t) {
            throw KernelFunction.rethrow(t);
        }
    }

    /** fs/proc/cmdline.c cmdline_proc_show: the boot command line. */
    static String cmdlineProcShow(BootParams boot) {
        return boot.cmdline();
    }

    /** kernel/sysctl.c proc_taint: parse an unsigned long, then add_taint for its bits. */
    static void procTaint(Taint taint, String text) {
        taint.addMask(KernelProc.parseTainted(text));
    }
}
