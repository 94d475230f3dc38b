package org.kmodel.livepatch;

import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The function tracers' view of the patchable functions (kernel/trace/ftrace.c {@code register_ftrace_function}
 * with an {@code ftrace_ops} filter hash, kernel/trace/fgraph.c for the graph tracer's entry and return). The
 * livepatch bundle provides it, the trace bundle's {@code function} and {@code function_graph} tracers use it.
 * A function that is not traced keeps its direct call (its site is not retargeted for tracing).
 */
@ProviderType
public interface FunctionTracing {
    /** A tracer's callbacks, called on the traced task's own thread (it owns its per-CPU buffer). */
    @ConsumerType
    interface Callback {
        /**
         * Entry of a traced function ({@code function} is an {@link #availableFilterFunctions()} name);
         * {@code parent} the caller ({@code parent_ip}), {@code depth} how many traced functions the task is in.
         */
        void entry(String function, String parent, int depth);

        /** Return of the traced function entered at {@code depth}, {@code nanos} after its entry. */
        void exit(String function, int depth, long nanos);
    }

    /**
     * {@code available_filter_functions}: every patchable function, {@code name} or {@code name [module]} for a
     * module's function, sorted by name.
     */
    List<String> availableFilterFunctions();

    /**
     * Attaches {@code callback} to {@code functions} (names as listed by {@link #availableFilterFunctions()}),
     * or to every function, including those defined later, when {@code functions} is null (an empty filter).
     * A null callback detaches the tracer. EINVAL, and nothing changes, if a name is unknown.
     */
    void trace(Callback callback, Set<String> functions);
}
