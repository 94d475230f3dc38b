package org.kmodel.trace.internal;

/**
 * What the function tracers put in the ring buffer (kernel/trace/trace_entries.h {@code ftrace_entry},
 * {@code ftrace_graph_ent_entry}, {@code ftrace_graph_ret_entry}): a function entry with its parent, or a graph
 * entry or return with its depth; a return carries its duration. Stored raw like an event's fields and
 * formatted only when the buffer is read.
 */
record FunctionEvent(Kind kind, String function, String parent, int depth, long nanos) {
    enum Kind {
        /** The function tracer's entry ({@code TRACE_FN}). */
        FUNCTION("function"),
        /** The graph tracer's entry ({@code TRACE_GRAPH_ENT}). */
        ENTRY("funcgraph_entry"),
        /** The graph tracer's return ({@code TRACE_GRAPH_RET}). */
        RETURN("funcgraph_exit");

        final String event;

        Kind(String event) {
            this.event = event;
        }
    }

    /** The system these entries are listed under in tracefs' events/ftrace (never enabled like events). */
    static final String SYSTEM = "ftrace";

    /** The text trace-cmd's report shows (the events' print formats in kernel/trace/trace_entries.h). */
    String text() {
        return switch (kind) {
            case FUNCTION -> parent == null ? function : function + " <-" + parent;
            case ENTRY -> "--> " + function + " (" + depth + ")";
            case RETURN -> "<-- " + function + " (" + depth + ") (duration " + nanos + " ns)";
        };
    }
}
