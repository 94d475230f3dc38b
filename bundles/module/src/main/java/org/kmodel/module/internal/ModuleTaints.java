package org.kmodel.module.internal;

import java.util.EnumSet;
import java.util.Set;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.Taint;
import org.kmodel.kernel.TaintFlag;

/**
 * {@code add_taint_module} and {@code add_taint} with their log lines (kernel/panic.c,
 * kernel/module/main.c): the global bit and the module's own bit are set together; the flags that make
 * lockdep unreliable (P, F, R) print "Disabling lock debugging due to kernel taint" once per boot.
 */
final class ModuleTaints {
    private static final Set<TaintFlag> NOW_UNRELIABLE =
            EnumSet.of(TaintFlag.PROPRIETARY_MODULE, TaintFlag.FORCED_MODULE, TaintFlag.FORCED_RMMOD);

    private final Taint taint;
    private final KernelLog log;
    private boolean debugLocks = true;
    private boolean unsignedNoticed;

    ModuleTaints(Taint taint, KernelLog log) {
        this.taint = taint;
        this.log = log;
    }

    KernelLog log() {
        return log;
    }

    /**
     * Sets {@code flag} on the module and globally; logs {@code "<mod>: <message>"} as a warning, only
     * if the global flag was not set yet when {@code firstTimeOnly}.
     */
    synchronized void addModuleTaint(LoadedModule mod, TaintFlag flag, String message, boolean firstTimeOnly) {
        if (message != null && (!firstTimeOnly || !taint.isSet(flag))) {
            log.warn(mod.name() + ": " + message);
        }
        mod.addTaint(flag);
        add(flag, NOW_UNRELIABLE.contains(flag));
    }

    /** {@code add_taint}: global only (R). */
    synchronized void addGlobal(TaintFlag flag) {
        add(flag, NOW_UNRELIABLE.contains(flag));
    }

    private void add(TaintFlag flag, boolean nowUnreliable) {
        taint.add(flag);
        if (nowUnreliable && debugLocks) {
            debugLocks = false;
            log.warn("Disabling lock debugging due to kernel taint");
        }
    }

    /** {@code try_to_force_load}: {@code "<mod>: <reason>: kernel tainted."} the first time F is set. */
    void forced(LoadedModule mod, String reason) {
        addModuleTaint(mod, TaintFlag.FORCED_MODULE, reason + ": kernel tainted.", true);
    }

    /**
     * The unsigned-module taint in load_module: E from 3.15, F in 3.7–3.14, with the notice printed once
     * per boot ({@code pr_notice_once}).
     */
    synchronized void unsigned(LoadedModule mod, boolean hasE) {
        if (!unsignedNoticed) {
            unsignedNoticed = true;
            log.printk(
                    KernelLog.Level.NOTICE,
                    mod.name()
                            + ": module verification failed: signature and/or required key missing - tainting kernel");
        }
        // LOCKDEP_STILL_OK even for F: an unsigned module is not a forced one.
        TaintFlag flag = hasE ? TaintFlag.UNSIGNED_MODULE : TaintFlag.FORCED_MODULE;
        mod.addTaint(flag);
        add(flag, false);
    }
}
