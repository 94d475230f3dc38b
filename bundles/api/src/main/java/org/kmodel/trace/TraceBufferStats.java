package org.kmodel.trace;

/**
 * Ring buffer counters as the {@code trace} header and {@code per_cpu/cpuN/stats} show them:
 * {@code entries} still in the buffers, {@code written} since the last clear, {@code overrun} events
 * overwritten (overwrite mode) or {@code dropped} (stop mode), and {@code buffers}, the number of
 * per-thread buffers ({@code #P:}).
 */
public record TraceBufferStats(long entries, long written, long overrun, long dropped, int buffers) {}
