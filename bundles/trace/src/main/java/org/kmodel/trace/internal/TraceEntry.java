package org.kmodel.trace.internal;

/**
 * One ring-buffer entry as a reader copies it out of its slot: what {@code trace_event_buffer_commit} stores, kept raw. The print
 * format is applied when the buffer is read, never on the traced path (as ftrace defers
 * {@code TP_printk} to the reader). The writer fills preallocated slots; a reader builds
 * this immutable copy only from a slot it validated (RingBuffer's seqlock), so it sees a whole entry or none.
 */
record TraceEntry(long timestamp, long seq, TracepointSite site, Object[] fields) {
}
