package org.kmodel.trace.internal;

import java.util.List;
import org.kmodel.trace.TraceRecord;

/**
 * The function_graph tracer's text (kernel/trace/trace_functions_graph.c, default options funcgraph-cpu,
 * -overhead and -duration on, -proc, -abstime and -tail off). Header: {@code # CPU  DURATION  FUNCTION CALLS}.
 * Each line: the CPU as {@code " %*d) "} (width of the highest CPU number, print_graph_cpu), then the duration
 * column, then two spaces of indent per depth and the function:
 * <ul>
 * <li>an entry whose next entry on the same CPU is its own return is a leaf, printed once with its duration:
 *     {@code func();} (print_graph_entry_leaf, the return found by get_return_for_leaf);</li>
 * <li>another entry has a blank duration column ({@code "              |  "}, FLAGS_FILL_FULL) and
 *     {@code func() {}; its return prints the duration and {@code }} (print_graph_return);</li>
 * <li>an event recorded meanwhile is a comment, {@code /* event: text *}{@code /} (print_graph_comment).</li>
 * </ul>
 * The duration ({@code trace_print_graph_duration}): an overhead mark ({@code trace_find_mark}: {@code $} over 1 s,
 * {@code @} 100 ms, {@code *} 10 ms, {@code #} 1 ms, {@code !} 100 us, {@code +} 10 us, else blank), a space, the
 * microseconds with the nanoseconds as decimals so that at most 7 digits show, {@code " us "}, padded to 8
 * characters of number, then {@code "|  "}.
 */
final class GraphOutput {
    static final String TRACER = "function_graph";
    static final String HEADER = "# tracer: function_graph\n"
            + "#\n"
            + "# CPU  DURATION                  FUNCTION CALLS\n"
            + "# |     |   |                     |   |   |   |\n";
    private static final String FILL_FULL = "              |  ";

    private GraphOutput() {}

    /** The lines of {@code records} (merged by time, as read from the buffers). */
    static String lines(List<TraceRecord> records, int cpus) {
        int maxCpu = Math.max(0, cpus - 1);
        for (TraceRecord r : records) {
            maxCpu = Math.max(maxCpu, r.cpu());
        }
        int width = String.valueOf(maxCpu).length();
        boolean[] done = new boolean[records.size()];
        java.util.Map<Integer, Integer> depthOf = new java.util.HashMap<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < records.size(); i++) {
            if (done[i]) {
                continue;
            }
            TraceRecord r = records.get(i);
            String cpu = " " + pad(String.valueOf(r.cpu()), width) + ") ";
            if (!FunctionEvent.SYSTEM.equals(r.system())) {
                // print_graph_comment indents (depth + 1) levels for a depth over 0, none at 0, where depth
                // is the CPU's last nesting level (the open functions less one)
                int d = depthOf.getOrDefault(r.cpu(), 0) - 1;
                sb.append(cpu)
                        .append(FILL_FULL)
                        .append(d > 0 ? indent(d + 1) : "")
                        .append("/* ")
                        .append(r.event())
                        .append(": ")
                        .append(r.text())
                        .append(" */\n");
                continue;
            }
            String fn = (String) r.fields().get(0);
            int depth = ((Number) r.fields().get(1)).intValue();
            if (r.event().equals(FunctionEvent.Kind.ENTRY.event)) {
                int j = nextOnCpu(records, i);
                if (j >= 0 && isReturnOf(records.get(j), fn, depth)) {
                    done[j] = true;
                    long nanos = ((Number) records.get(j).fields().get(2)).longValue();
                    sb.append(cpu)
                            .append(duration(nanos))
                            .append(indent(depth))
                            .append(fn)
                            .append("();\n");
                } else {
                    sb.append(cpu)
                            .append(FILL_FULL)
                            .append(indent(depth))
                            .append(fn)
                            .append("() {\n");
                }
                depthOf.put(r.cpu(), depth + (j >= 0 && done[j] ? 0 : 1));
            } else if (r.event().equals(FunctionEvent.Kind.RETURN.event)) {
                long nanos = ((Number) r.fields().get(2)).longValue();
                sb.append(cpu).append(duration(nanos)).append(indent(depth)).append("}\n");
                depthOf.put(r.cpu(), depth);
            }
        }
        return sb.toString();
    }

    private static int nextOnCpu(List<TraceRecord> records, int i) {
        int cpu = records.get(i).cpu();
        for (int j = i + 1; j < records.size(); j++) {
            if (records.get(j).cpu() == cpu) {
                return j;
            }
        }
        return -1;
    }

    private static boolean isReturnOf(TraceRecord r, String fn, int depth) {
        return FunctionEvent.SYSTEM.equals(r.system())
                && r.event().equals(FunctionEvent.Kind.RETURN.event)
                && r.fields().get(0).equals(fn)
                && ((Number) r.fields().get(1)).intValue() == depth;
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    private static String indent(int depth) {
        return "  ".repeat(depth);
    }

    /** trace_find_mark: the overhead mark of a duration. */
    static char mark(long nanos) {
        if (nanos > 1_000_000_000L) {
            return '$';
        } else if (nanos > 100_000_000L) {
            return '@';
        } else if (nanos > 10_000_000L) {
            return '*';
        } else if (nanos > 1_000_000L) {
            return '#';
        } else if (nanos > 100_000L) {
            return '!';
        } else if (nanos > 10_000L) {
            return '+';
        }
        return ' ';
    }

    /** The duration column: mark, space, number, " us ", padding, "|  " (print_graph_duration). */
    static String duration(long nanos) {
        String usecs = Long.toString(nanos / 1000);
        StringBuilder sb = new StringBuilder().append(mark(nanos)).append(' ').append(usecs);
        int len = usecs.length();
        if (len < 7) {
            // snprintf(nsecs_str, min(5, 8 - len), "%03lu"): at most 8 - len - 1 of the three digits
            String ns = String.format("%03d", nanos % 1000);
            ns = ns.substring(0, Math.min(ns.length(), Math.min(4, 7 - len)));
            sb.append('.').append(ns);
            len += ns.length() + 1;
        }
        sb.append(" us ");
        for (int i = len; i < 8; i++) {
            sb.append(' ');
        }
        return sb.append("|  ").toString();
    }
}
