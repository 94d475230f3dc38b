package org.kmodel.trace.internal;

import java.util.List;

import org.kmodel.trace.TraceBufferStats;
import org.kmodel.trace.TraceRecord;

/**
 * The text of the {@code trace} and {@code trace_pipe} files (kernel/trace/trace.c
 * {@code print_trace_header}/{@code print_func_help_header_irq}, kernel/trace/trace_output.c
 * {@code trace_print_context}): the "nop" tracer header and one line per event,
 * {@code TASK-PID [CPU] FLAGS SECS.USECS: event: fields}. The flags column is "...." because the
 * model has no interrupts, need-resched or preemption counts to report.
 */
final class TraceOutput {
    private TraceOutput() {
    }

    static String header(TraceBufferStats stats) {
        return "# tracer: nop\n"
                + "#\n"
                + "# entries-in-buffer/entries-written: " + stats.entries() + "/" + stats.written()
                + "   #P:" + stats.buffers() + "\n"
                + "#\n"
                + "#                              _-----=> irqs-off\n"
                + "#                             / _----=> need-resched\n"
                + "#                            | / _---=> hardirq/softirq\n"
                + "#                            || / _--=> preempt-depth\n"
                + "#                            ||| /     delay\n"
                + "#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION\n"
                + "#              | |       |   ||||       |         |\n";
    }

    static String line(TraceRecord r) {
        long micros = r.timestampNanos() / 1000;
        return String.format("%16s-%-5d [%03d] .... %5d.%06d: %s: %s%n", r.comm(), r.pid(), r.cpu(),
                micros / 1_000_000, micros % 1_000_000, r.event(), r.text());
    }

    static String trace(TraceBufferStats stats, List<TraceRecord> records) {
        StringBuilder sb = new StringBuilder(header(stats));
        for (TraceRecord r : records) {
            sb.append(line(r));
        }
        return sb.toString();
    }

    static String lines(List<TraceRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (TraceRecord r : records) {
            sb.append(line(r));
        }
        return sb.toString();
    }
}
