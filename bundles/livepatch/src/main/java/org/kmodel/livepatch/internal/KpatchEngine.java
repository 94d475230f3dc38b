package org.kmodel.livepatch.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.osgi.service.component.annotations.Component;

/**
 * kpatch (Red Hat, 2014; kmod/core/core.c {@code kpatch_register}, {@code kpatch_verify_activeness_safety}):
 * the ftrace handlers are registered, then under {@code stop_machine()} every task's stack is checked for a
 * function being replaced. If none is there, the new functions go live for every task at once; otherwise
 * the machine is released and the attempt repeated, and after the retries the load fails with EBUSY,
 * "activeness safety check failed". The pause of each stop is measured and reported.
 */
@Component(service = Engine.class, property = Engine.NAME + "=kpatch")
public class KpatchEngine implements Engine {
    @Override
    public String name() {
        return "kpatch";
    }

    @Override
    public void enable(KlpCore core, PatchImpl p) {
        List<PatchImpl.Func> funcs = new ArrayList<>();
        for (PatchImpl.Obj o : p.objects) {
            if (core.objectLoaded(o.name)) {
                for (PatchImpl.Func f : o.funcs) {
                    f.pf = new FuncState.PatchFunc(p, f.newFunc);
                    funcs.add(f);
                }
            }
        }
        switchAll(core, p, funcs, true);
        for (PatchImpl.Obj o : p.objects) {
            o.patched = core.objectLoaded(o.name);
        }
        p.enabled = true;
        // kmod/core/core.c kpatch_register (2014): the kernel had no TAINT_LIVEPATCH yet, so kpatch used
        // TAINT_USER ('U'); on kernels with 'K' it sets that (the loader's modinfo check does it from 4.9).
        if (!core.release.atLeast(4, 0)) {
            core.taintOnce(org.kmodel.kernel.TaintFlag.USER, "kpatch: tainting kernel with TAINT_USER");
        }
        core.notice("kpatch: loaded patch module '" + p.name + "'");
    }

    @Override
    public void disable(KlpCore core, PatchImpl p) {
        List<PatchImpl.Func> funcs = new ArrayList<>();
        p.objects.forEach(o -> o.funcs.stream().filter(f -> f.pf != null).forEach(funcs::add));
        switchAll(core, p, funcs, false);
        p.objects.forEach(o -> o.patched = false);
        p.enabled = false;
        core.free(p);
        core.notice("kpatch: unloaded patch module '" + p.name + "'");
    }

    /** Registers the handlers, then stop_machine with the activeness check, retried; EBUSY leaves all as it was. */
    private void switchAll(KlpCore core, PatchImpl p, List<PatchImpl.Func> funcs, boolean apply) {
        funcs.forEach(f -> core.ftrace.track(f.fs, true));
        long armed = funcs.stream().mapToLong(f -> f.fs.armEpoch).max().orElse(0);
        core.ftrace.awaitReliable(armed, 1000);
        String busy = null;
        try {
            for (int attempt = 0; attempt <= core.kpatchRetries; attempt++) {
                String[] result = new String[1];
                long pause = core.ftrace.stopMachine(() -> {
                    result[0] = activenessSafety(core, funcs);
                    if (result[0] == null) {
                        for (PatchImpl.Func f : funcs) {
                            if (apply) {
                                f.fs.push(f.pf);
                            } else {
                                f.fs.remove(f.pf);
                            }
                        }
                    }
                });
                p.pauseNanos = pause;
                core.notice(
                        "kpatch: stop_machine held " + core.ftrace.tasks.size() + " tasks for " + pause / 1000 + " us");
                busy = result[0];
                if (busy == null) {
                    break;
                }
                sleep(core.kpatchRetryMillis);
            }
        } finally {
            funcs.forEach(f -> core.ftrace.track(f.fs, false));
        }
        if (busy != null) {
            if (apply) {
                funcs.forEach(f -> f.pf = null);
            }
            core.log.err("kpatch: activeness safety check failed for " + busy);
            throw new KernelException(Errno.EBUSY, "activeness safety check failed for " + busy);
        }
        if (!apply) {
            funcs.forEach(f -> f.pf = null);
        }
    }

    /** kpatch_verify_activeness_safety: no task may be inside a function being replaced (or removed). */
    private static String activenessSafety(KlpCore core, List<PatchImpl.Func> funcs) {
        Thread me = Thread.currentThread();
        for (TaskImpl t : core.ftrace.tasks) {
            if (t.thread == me || !t.inKernel) {
                continue;
            }
            List<FuncState> frames = t.frames();
            for (PatchImpl.Func f : funcs) {
                if (!Ftrace.reliable(t, f.fs.armEpoch) || frames.contains(f.fs)) {
                    core.debug("kpatch: " + t.comm + ":" + t.pid
                            + (frames.contains(f.fs) ? " is inside " : " has an unreliable stack for ") + f.name);
                    return f.name;
                }
            }
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException(Errno.EINTR, "kpatch");
        }
    }
}
