package org.kmodel.trace;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The tracepoint core with its definition and probe side (kernel/tracepoint.c,
 * kernel/trace/trace_events.c). Subsystems that own tracepoints define them here when they start
 * ({@code TRACE_EVENT} + {@code CREATE_TRACE_POINTS}) and remove them when they stop; callers that only
 * fire use {@link TracepointRegistry#find}. The kernel's own tracepoints ({@code module:*},
 * {@code mm:*}, {@code ext4:*}, ...) are predefined by the trace bundle, so subsystems just find them.
 */
@ProviderType
public interface TracepointManager extends TracepointRegistry {
    /**
     * Defines a tracepoint and its trace event, or returns the existing one if an identical definition
     * is already present. EEXIST if {@code system:name} exists with other fields; EINVAL for a bad name,
     * an unknown field type or a format that does not match the fields.
     */
    Tracepoint define(TraceEventDefinition definition);

    /**
     * Creates only the trace event, with no live tracepoint behind it: what 3.7-3.14
     * {@code trace_module_add_events} did for a module whose tracepoints {@code tracepoint_module_coming}
     * had refused because of its taint. The event is listed and can be enabled, but {@link #find}
     * returns {@code null} for it and it never fires. Same errors as {@link #define}.
     */
    void defineEventOnly(TraceEventDefinition definition);

    /** True if {@code system:name} exists as a live tracepoint (false for an event-only definition). */
    boolean live(String system, String name);

    /**
     * Removes a tracepoint: detaches every probe (waiting for running probe calls to finish) and drops
     * its event. The removed {@link Tracepoint} object stays callable and does nothing.
     */
    void remove(String system, String name);

    /** Every defined tracepoint's definition, sorted by system then name. */
    List<TraceEventDefinition> definitions();

    /**
     * Attaches a probe ({@code tracepoint_probe_register}); the first probe switches the call sites on.
     * ENOENT if the tracepoint does not exist, EEXIST if this probe is already attached.
     */
    void probeRegister(String system, String name, TraceProbe probe);

    /**
     * Detaches a probe ({@code tracepoint_probe_unregister} followed by
     * {@code tracepoint_synchronize_unregister}): when this returns, no call of the probe is running
     * and none will start. The last probe switches the call sites off. ENOENT if not attached.
     * Called from inside a probe, it does not wait for the calling thread itself.
     */
    void probeUnregister(String system, String name, TraceProbe probe);
}
