package org.kmodel.livepatch.internal;

import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;

/**
 * Upstream livepatch's consistency model (kernel/livepatch/transition.c, 4.12+): a task switches when
 * {@code klp_try_switch_task} finds no function of the patch on its stack while it is not running, when it
 * returns to user space ({@code klp_update_patch_state} from exit_to_user_mode), or in the idle loop.
 * Stragglers get a fake signal every SIGNALS_TIMEOUT passes; {@code force} switches the rest.
 */
@Component(service = Engine.class, property = Engine.NAME + "=livepatch")
public class LivepatchEngine extends PerTaskEngine {
    @Override
    public String name() {
        return "livepatch";
    }

    @Override
    String prefix() {
        return "livepatch: ";
    }

    /**
     * klp_try_switch_task: a running task is left alone (it switches at its exit); a sleeping one is
     * checked by klp_check_stack, which fails on an unreliable stack or any function of the transition.
     */
    @Override
    boolean trySwitch(KlpCore core, TaskImpl t) {
        if (running(t)) {
            return false;
        }
        if (t.inKernel) {
            Set<FuncState> funcs = transitionFuncs(core);
            for (FuncState fs : funcs) {
                if (!Ftrace.reliable(t, fs.armEpoch)) {
                    return false;
                }
            }
            for (FuncState fs : t.frames()) {
                if (funcs.contains(fs)) {
                    core.debug("livepatch: " + t.comm + ":" + t.pid + " is sleeping on function " + fs.name);
                    return false;
                }
            }
        }
        core.switchTask(t);
        return true;
    }

    static Set<FuncState> transitionFuncs(KlpCore core) {
        return core.transitionPatch.objects.stream()
                .flatMap(o -> o.funcs.stream())
                .filter(f -> f.pf != null)
                .map(f -> f.fs)
                .collect(Collectors.toSet());
    }

    /** klp_send_signals every SIGNALS_TIMEOUT attempts: kthreads are woken, user tasks get a fake signal. */
    @Override
    void stragglers(KlpCore core) {
        if (core.attempts % core.signalsTimeout != 0) {
            return;
        }
        core.notice("livepatch: signaling remaining tasks");
        for (TaskImpl t : core.ftrace.tasks) {
            if (t.patchState != core.target) {
                t.signal();
            }
        }
    }

    @Override
    public void exit(KlpCore core, TaskImpl t) {
        core.switchTask(t);
    }

    @Override
    public void safePoint(KlpCore core, TaskImpl t) {
        if (t.kind() == TaskImpl.Kind.IDLE) {
            synchronized (t) {
                core.switchTask(t);
            }
        }
    }

    /**
     * klp_force_transition: every task is marked switched, and every patch is marked forced, so its
     * module reference is never dropped: the module can never be removed.
     */
    @Override
    public void force(KlpCore core, PatchImpl p) {
        core.log.warn("livepatch: forcing remaining tasks to the "
                + (core.target == TaskImpl.PATCHED ? "patched" : "unpatched") + " state");
        for (TaskImpl t : core.ftrace.tasks) {
            synchronized (t) {
                core.switchTask(t);
            }
        }
        for (PatchImpl q : core.patches) {
            q.forced = true;
        }
        core.tryComplete();
    }
}
