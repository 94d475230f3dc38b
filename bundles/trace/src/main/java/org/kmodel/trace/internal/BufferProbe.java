package org.kmodel.trace.internal;

import org.kmodel.trace.TraceProbe;

/**
 * The probe a trace array attaches to record an enabled event into its ring buffer (the kernel's
 * {@code trace_event_raw_event_<call>}, registered by {@code trace_event_reg}, kernel/trace/trace_events.c).
 *
 * <p>Nobody waits for a running recorder call to end. Disabling an event ({@code ftrace_event_enable_disable})
 * unregisters the probe with {@code tracepoint_probe_unregister}, which frees the old probe array through
 * {@code call_rcu} ({@code release_probes}, kernel/tracepoint.c) and returns at once: an event that was
 * already being recorded on another CPU still lands in the buffer. The other waits the kernel has here,
 * {@code tracing_reset_online_cpus} before a buffer reset and the module unload, exist so the ring buffer
 * is not reset under a writer and the module text is not freed under a call; the model's ring buffer
 * tolerates a reset during a write, the recorder's code is not the module's, and the entries of a removed
 * tracepoint are never read back ({@code RingBuffer}: a module's removal clears the buffers, as
 * {@code trace_module_remove_events} does). So the dispatcher calls recorders outside the RCU read-side
 * section ({@link TraceRcu}), without the StoreLoad fence its entry costs on the JVM, and
 * {@code probeUnregister} makes no promise about them.
 *
 * <p>Only this bundle extends it (a package-private type): a probe from outside keeps the full guarantee.
 */
abstract class BufferProbe implements TraceProbe {
    /**
     * The event by value, as the kernel passes a probe the tracepoint's arguments: the field count, the first
     * {@link TracepointState#ARGS} fields (null past {@code n}) and, only for an event with more, the caller's
     * whole array. No array is made for the recorder, so the caller's varargs array does not escape.
     */
    abstract void record(
            TracepointSite site, int n, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5, Object[] all);

    @Override
    public final void probe(org.kmodel.trace.Tracepoint tracepoint, Object[] fields) {
        int n = fields.length;
        record(
                (TracepointSite) tracepoint,
                n,
                TracepointState.arg(fields, 0),
                TracepointState.arg(fields, 1),
                TracepointState.arg(fields, 2),
                TracepointState.arg(fields, 3),
                TracepointState.arg(fields, 4),
                TracepointState.arg(fields, 5),
                n > TracepointState.ARGS ? fields : null);
    }
}
