package org.kmodel.livepatch.internal;

import org.osgi.service.component.annotations.Component;

/**
 * SUSE kGraft (2014): each task has an "in progress" flag ({@code TIF_KGR_IN_PROGRESS}) that keeps it in the
 * old universe; the flag is cleared when the task crosses the kernel/user boundary (system call entry or
 * exit), at a kernel thread's safe point ({@code kgr_task_safe}) or in the idle loop. A task in user space is
 * migrated at once. There is no stack check: a task sleeping inside the kernel holds the transition until
 * it returns. Old and new code run side by side across tasks, never within one task's system call.
 */
@Component(service = Engine.class, property = Engine.NAME + "=kgraft")
public class KgraftEngine extends PerTaskEngine {
    @Override
    public String name() {
        return "kgraft";
    }

    /** kgr_work_fn runs every KGR_TIMEOUT (2 s in 2014's include/linux/kgraft.h). */
    @Override
    public long periodMillis(KlpCore core) {
        return 2 * core.retryMillis;
    }

    @Override
    String prefix() {
        return "kgr: ";
    }

    @Override
    boolean trySwitch(KlpCore core, TaskImpl t) {
        if (t.kind() == TaskImpl.Kind.IDLE && t.blocked) {
            core.switchTask(t); // the idle loop between passes: nothing is running on it
            return true;
        }
        if (t.inKernel) {
            return false;
        }
        core.switchTask(t);
        return true;
    }

    @Override
    public void entry(KlpCore core, TaskImpl t) {
        synchronized (t) {
            core.switchTask(t);
        }
    }

    @Override
    public void exit(KlpCore core, TaskImpl t) {
        core.switchTask(t);
    }

    @Override
    public void safePoint(KlpCore core, TaskImpl t) {
        synchronized (t) {
            core.switchTask(t);
        }
    }
}
