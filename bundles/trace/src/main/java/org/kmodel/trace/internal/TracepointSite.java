package org.kmodel.trace.internal;

import java.lang.invoke.MethodHandle;
import org.kmodel.trace.Tracepoint;

/**
 * The call-site face of one tracepoint: the model's {@code static_key} + {@code DO_TRACE}
 * (include/linux/tracepoint.h). It is a record on purpose: HotSpot trusts record fields as constants,
 * so when a caller keeps its tracepoint in a {@code static final} field (as the kernel keeps
 * {@code __tracepoint_<name>} in a static struct), C2 folds {@link #fire} through the
 * {@code MutableCallSite}'s dynamic invoker down to the current target: an empty method while no
 * probe is attached, a direct call of the probe dispatcher once one is (the varargs array and boxes of
 * the call then do not escape and are removed, except boxes of values outside the Integer cache). Switching retargets the call
 * site and deoptimises the code that inlined it, like the kernel patching its jump labels
 * (docs/tracing.md#cost: MutableCallSite disabled costs +0.02 ns, also in vectorised loops).
 */
record TracepointSite(
        String system, String name, MethodHandle fireInvoker, MethodHandle enabledInvoker, TracepointState state)
        implements Tracepoint {

    /**
     * {@code trace_<event>_enabled()}: the same static key as {@link #fire}, a MutableCallSite returning a
     * constant, so a guard on a static final tracepoint folds away even inside a vectorised loop (an opaque
     * or volatile flag measured 11 ns/element there against 0.4 for the loop alone). Guarding {@code fire}
     * keeps the varargs array and boxes off the disabled path.
     */
    @Override
    public boolean enabled() {
        if (!state.armed) {
            return false; // see fire()
        }
        try {
            return (boolean) enabledInvoker.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void fire(Object... fields) {
        if (!state.armed) {
            // A plain read first: with the tracepoint in an instance field (not a JIT constant) the call
            // site cannot fold, and this keeps the disabled path at a few loads, with the varargs array
            // left to an uncommon trap. With a static final tracepoint it is a hoistable load; the call
            // site below still folds, and retargeting it deoptimises every method that inlined it.
            return;
        }
        int n = fields.length;
        try {
            // the fields by value (the kernel's probes take the tracepoint's arguments, not an array): once this
            // method is inlined into the traced one, the varargs array is only read at constant indices and the
            // JIT does not allocate it, whether or not the dispatcher behind the call site is inlined too
            fireInvoker.invokeExact(
                    n,
                    n > 0 ? fields[0] : null,
                    n > 1 ? fields[1] : null,
                    n > 2 ? fields[2] : null,
                    n > 3 ? fields[3] : null,
                    n > 4 ? fields[4] : null,
                    n > 5 ? fields[5] : null,
                    (Object[]) (n > TracepointState.ARGS ? fields : null)); // the cast gives invokeExact its type
        } catch (Throwable t) {
            throw new IllegalStateException(t); // unreachable: the dispatcher catches probe failures
        }
    }

    @Override
    public String toString() {
        return system + ":" + name;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
