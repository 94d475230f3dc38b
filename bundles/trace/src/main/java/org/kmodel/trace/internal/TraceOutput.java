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
    private TraceOutput() {}

    static String header(TraceBufferStats stats) {
        return header(stats, false);
    }

    /**
     * The nop tracer's header. {@code modern}: the layout of 6.x kernels (6.18's print_func_help_header_irq):
     * a fifth flag column (migrate-disable), "irqs-off/BH-disabled", and the PID field 7 wide; otherwise the
     * 3.x layout with four flag columns and a 5-wide PID.
     */
    static String header(TraceBufferStats stats, boolean modern) {
        return header(stats, modern, "nop");
    }

    /** The header of the nop and function tracers (the same columns; kernel/trace/trace.c s_show). */
    static String header(TraceBufferStats stats, boolean modern, String tracer) {
        String top = "# tracer: " + tracer + "\n"
                + "#\n"
                + "# entries-in-buffer/entries-written: " + stats.entries() + "/" + stats.written()
                + "   #P:" + stats.buffers() + "\n"
                + "#\n";
        if (modern) {
            return top
                    + "#                                _-----=> irqs-off/BH-disabled\n"
                    + "#                               / _----=> need-resched\n"
                    + "#                              | / _---=> hardirq/softirq\n"
                    + "#                              || / _--=> preempt-depth\n"
                    + "#                              ||| / _-=> migrate-disable\n"
                    + "#                              |||| /     delay\n"
                    + "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
                    + "#              | |         |   |||||     |         |\n";
        }
        return top
                + "#                              _-----=> irqs-off\n"
                + "#                             / _----=> need-resched\n"
                + "#                            | / _---=> hardirq/softirq\n"
                + "#                            || / _--=> preempt-depth\n"
                + "#                            ||| /     delay\n"
                + "#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION\n"
                + "#              | |       |   ||||       |         |\n";
    }

    static String line(TraceRecord r) {
        return line(r, false);
    }

    /** One event; {@code modern}: trace_print_context of 6.x, PID 7 wide and five flag columns. */
    static String line(TraceRecord r, boolean modern) {
        long micros = r.timestampNanos() / 1000;
        // trace_fn_trace (kernel/trace/trace_output.c): the function, then " <-" and the parent; no event name
        boolean fn = FunctionEvent.SYSTEM.equals(r.system()) && "function".equals(r.event());
        return String.format(
                modern ? "%16s-%-7d [%03d] ..... %5d.%06d: %s%n" : "%16s-%-5d [%03d] .... %5d.%06d: %s%n",
                r.comm(),
                r.pid(),
                r.cpu(),
                micros / 1_000_000,
                micros % 1_000_000,
                fn ? r.text() : r.event() + ": " + r.text());
    }

    static String trace(TraceBufferStats stats, List<TraceRecord> records) {
        return trace(stats, records, false);
    }

    static String trace(TraceBufferStats stats, List<TraceRecord> records, boolean modern) {
        return trace(stats, records, modern, "nop");
    }

    /** The {@code trace} file under {@code tracer}: function_graph has its own header and lines. */
    static String trace(TraceBufferStats stats, List<TraceRecord> records, boolean modern, String tracer) {
        if (GraphOutput.TRACER.equals(tracer)) {
            return GraphOutput.HEADER + GraphOutput.lines(records, stats.buffers());
        }
        StringBuilder sb = new StringBuilder(header(stats, modern, tracer));
        for (TraceRecord r : records) {
            sb.append(line(r, modern));
        }
        return sb.toString();
    }

    static String lines(List<TraceRecord> records) {
        return lines(records, false);
    }

    static String lines(List<TraceRecord> records, boolean modern) {
        StringBuilder sb = new StringBuilder();
        for (TraceRecord r : records) {
            sb.append(line(r, modern));
        }
        return sb.toString();
    }
}
