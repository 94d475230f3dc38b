package org.kmodel.livepatch.internal;

import org.kmodel.kernel.KernelException;

/**
 * What livepatch and kGraft share: a patch is put on the func stacks "in transition" and each task runs the
 * old or the new code according to its own state until every task has switched. They differ in where a
 * task may switch ({@link #trySwitch}, the boundary hooks).
 */
abstract class PerTaskEngine implements Engine {
    /** The log prefix (pr_fmt). */
    abstract String prefix();

    @Override
    public void enable(KlpCore core, PatchImpl p) {
        core.notice(prefix() + "enabling patch '" + p.name + "'");
        core.initTransition(p, TaskImpl.PATCHED);
        try {
            core.patchLoadedObjects(p, true);
        } catch (KernelException e) {
            core.cancelTransition();
            throw e;
        }
        p.enabled = true;
        core.startTransition(prefix());
    }

    @Override
    public void disable(KlpCore core, PatchImpl p) {
        core.notice(prefix() + "disabling patch '" + p.name + "'");
        core.initTransition(p, TaskImpl.UNPATCHED);
        for (PatchImpl.Obj o : p.objects) {
            if (o.patched && o.callbacks != null) {
                o.callbacks.preUnpatch(o.name);
            }
        }
        p.enabled = false;
        core.startTransition(prefix());
    }

    /** One pass of klp_try_complete_transition over every task. */
    @Override
    public boolean tryComplete(KlpCore core) {
        boolean complete = true;
        for (TaskImpl t : core.ftrace.tasks) {
            synchronized (t) {
                if (t.patchState != core.target && !trySwitch(core, t)) {
                    complete = false;
                }
            }
        }
        if (!complete) {
            core.attempts++;
            stragglers(core);
        }
        return complete;
    }

    /** Called after an incomplete pass. */
    void stragglers(KlpCore core) {}

    /** Under the task's monitor: switch it now if that is safe, else false. */
    abstract boolean trySwitch(KlpCore core, TaskImpl t);

    static boolean running(TaskImpl t) {
        return t.inKernel && !t.blocked && !t.stopped;
    }
}
