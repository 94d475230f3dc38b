package org.kmodel.trace.internal;

/**
 * One slot of a ring buffer: what {@code trace_event_buffer_commit} stores, kept raw. The print
 * format is applied when the buffer is read, never on the traced path (as ftrace defers
 * {@code TP_printk} to the reader). Immutable, so a racing reader sees a whole entry or none.
 */
record TraceEntry(long timestamp, long seq, TracepointSite site, Object[] fields, long task) {}
