package org.kmodel.livepatch.internal;

import java.util.Set;
import org.kmodel.kernel.KernelLog;
import org.kmodel.livepatch.KTask;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KernelTasks;
import org.kmodel.livepatch.LivePatching;

/**
 * Live patching without OSGi, behind the bundle's test-support export ({@code org.kmodel.livepatch.testing}):
 * the ftrace side, the task table and the core {@link LivePatchComponent} runs, with the three engines (which
 * the component takes as services) added here, and modules answered here: every patch is a live-patch module,
 * no other module is loaded and try_module_get always succeeds.
 */
public final class StandaloneLivePatch implements AutoCloseable {
    final Ftrace ftrace = new Ftrace();
    final TaskTable tasks = new TaskTable(ftrace);
    final KlpCore core;

    /**
     * A kernel whose vmlinux holds the functions {@code kallsyms}, with {@code engine} selected; an incomplete
     * transition is tried again after {@code retryMillis} (kpatch's stop_machine as well). Takes over the
     * patchable functions ({@link KernelFunction#ftrace}) until {@link #close}.
     */
    public StandaloneLivePatch(KernelLog log, Set<String> kallsyms, String engine, long retryMillis) {
        this(log, kallsyms, engine, retryMillis, new KlpCore.Modules() {
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
            public void put(String name) {}
        });
    }

    /** The same with the module side answered by {@code modules} (the bundle's own tests). */
    StandaloneLivePatch(KernelLog log, Set<String> kallsyms, String engine, long retryMillis, KlpCore.Modules modules) {
        core = new KlpCore(ftrace, log, kallsyms);
        core.addEngine(new LivepatchEngine());
        core.addEngine(new KpatchEngine());
        core.addEngine(new KgraftEngine());
        core.selectEngine(engine);
        core.retryMillis = retryMillis;
        core.kpatchRetryMillis = retryMillis;
        core.modules = modules;
        KernelFunction.ftrace(ftrace);
    }

    public LivePatching livePatching() {
        return core;
    }

    public KernelTasks tasks() {
        return tasks;
    }

    /**
     * Makes the calling thread the current task {@code pid}: a user task inside a system call that entered after
     * every patch was armed (so its stack is reliable), and, if a transition is in progress, already switched to
     * its target state. A patched function called from this thread then runs through the dispatcher as from any
     * task in a system call.
     */
    public KTask bindCurrentThread(int pid, String comm) {
        TaskImpl me = new TaskImpl(pid, comm, TaskImpl.Kind.USER, false, ftrace, null);
        ftrace.bind(me);
        me.inKernel = true;
        me.entryEpoch = Long.MAX_VALUE;
        me.patchState = core.inTransition() ? TaskImpl.PATCHED : TaskImpl.UNDEFINED;
        return me;
    }

    /**
     * Stops every task and the core, gives the patchable functions back and returns every one of them to its
     * original code (they are global: the next kernel of the same JVM starts clean).
     */
    @Override
    public void close() {
        tasks.stopAll();
        core.close();
        ftrace.detach();
    }
}
