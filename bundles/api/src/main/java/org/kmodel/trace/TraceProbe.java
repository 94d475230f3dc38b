package org.kmodel.trace;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A probe attached to a tracepoint ({@code tracepoint_probe_register}, kernel/tracepoint.c): called
 * synchronously at the call site with the event's field values, while the tracepoint is enabled.
 * A probe runs on the firing thread, must be quick, must not block and must not keep {@code fields}
 * (the array belongs to the call site). Exceptions are caught and counted, never propagated into the
 * traced code.
 */
@ConsumerType
@FunctionalInterface
public interface TraceProbe {
    void probe(Tracepoint tracepoint, Object[] fields);
}
