package org.kmodel.trace;

/**
 * An event as tracefs lists it: its definition, the id in its {@code format} file, whether it is
 * enabled for recording into the trace buffer, and whether it is {@code live}: a {@code false} here
 * is the 3.7-3.14 case of a module event whose tracepoint was refused at COMING because of the
 * module's taint, so enabling it succeeds but it never fires.
 */
public record TraceEventInfo(TraceEventDefinition definition, int id, boolean enabled, boolean live) {
    public String fullName() {
        return definition.fullName();
    }
}
