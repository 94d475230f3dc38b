package org.kmodel.livepatch.internal;

import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kmodel.livepatch.KernelFunction;

/**
 * One patchable function ({@code object:name}) as ftrace and livepatch see it: its sites, the stack of
 * replacements ({@code struct klp_ops} and its {@code func_stack}, kernel/livepatch/patch.c) and what arms
 * its dispatcher. The stack is changed only under the core's lock and published as an array the
 * dispatcher reads without locking (the kernel's RCU list).
 */
final class FuncState {
    /** One entry of func_stack: a patch's replacement ({@code struct klp_func}); newFunc null = nop. */
    static final class PatchFunc {
        final Object patch;
        final MethodHandle newFunc;
        /** {@code func->transition}: per-task choice between this and the entry below. */
        volatile boolean transition;

        PatchFunc(Object patch, MethodHandle newFunc) {
            this.patch = patch;
            this.newFunc = newFunc;
        }
    }

    private static final PatchFunc[] EMPTY = new PatchFunc[0];

    final String object;
    final String name;
    final List<KernelFunction> sites = new CopyOnWriteArrayList<>();
    /** func_stack, oldest first; the dispatcher uses the last entry. */
    volatile PatchFunc[] stack = EMPTY;
    /** Reasons to keep the dispatcher in place (each changes only under the core lock). */
    int tracking;

    volatile int parkers;
    volatile boolean traced;
    /** The arm epoch: entries of a task that entered the kernel before it may be missing from its stack. */
    volatile long armEpoch = Long.MAX_VALUE;

    FuncState(String object, String name) {
        this.object = object;
        this.name = name;
    }

    boolean armed() {
        return tracking > 0 || parkers > 0 || traced;
    }

    void push(PatchFunc f) {
        PatchFunc[] s = stack;
        PatchFunc[] n = java.util.Arrays.copyOf(s, s.length + 1);
        n[s.length] = f;
        stack = n;
    }

    void remove(PatchFunc f) {
        stack = java.util.Arrays.stream(stack).filter(x -> x != f).toArray(PatchFunc[]::new);
    }

    PatchFunc top() {
        PatchFunc[] s = stack;
        return s.length == 0 ? null : s[s.length - 1];
    }

    /**
     * klp_ftrace_handler (kernel/livepatch/patch.c): the newest func, unless it is in transition and the task
     * has not switched yet; then the one below it, or the original. A nop func means the original.
     */
    MethodHandle targetFor(KernelFunction site, int patchState) {
        PatchFunc[] s = stack;
        int i = s.length - 1;
        if (i < 0) {
            return site.original();
        }
        if (s[i].transition && patchState == TaskImpl.UNPATCHED) {
            i--;
        }
        if (i < 0 || s[i].newFunc == null) {
            return site.original();
        }
        return s[i].newFunc;
    }

    /** The target with nobody in transition: the newest func, or the original. */
    MethodHandle steadyTarget(KernelFunction site) {
        PatchFunc t = top();
        return t == null || t.newFunc == null ? site.original() : t.newFunc;
    }

    @Override
    public String toString() {
        return KernelFunction.VMLINUX.equals(object) ? name : name + " [" + object + "]";
    }
}
