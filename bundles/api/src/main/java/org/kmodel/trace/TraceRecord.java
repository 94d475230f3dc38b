package org.kmodel.trace;

import java.util.List;

/**
 * One event recorded in the trace ring buffer ({@code struct ring_buffer_event} plus the
 * {@code struct trace_entry} common fields). {@code cpu} is the per-thread buffer the event was
 * recorded in (the model's stand-in for the CPU of a per-CPU buffer); {@code pid} the thread id;
 * {@code comm} the thread name cut to 15 characters (TASK_COMM_LEN); {@code text} the event rendered
 * with its {@code TP_printk} format, without the event name.
 */
public record TraceRecord(
        long timestampNanos,
        int cpu,
        long pid,
        String comm,
        String system,
        String event,
        List<Object> fields,
        String text) {
    public TraceRecord {
        fields = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(fields));
    }
}
