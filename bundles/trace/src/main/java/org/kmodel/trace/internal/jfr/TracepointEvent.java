package org.kmodel.trace.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One kmodel trace event as a Java Flight Recorder event, so JDK Mission Control shows kernel events on the
 * same timeline as the JVM's. No stack trace: tracepoints are hot paths (an enabled JFR event costs about
 * 42 ns per event without one, docs/tracing.md#cost).
 */
@Name("kmodel.Tracepoint")
@Label("Kernel Tracepoint")
@Category({"kmodel", "Tracing"})
@Description("An enabled kmodel tracepoint fired (the line the trace file would show)")
@StackTrace(false)
public final class TracepointEvent extends Event {
    @Label("System")
    public String system;

    @Label("Event")
    public String event;

    @Label("Fields")
    @Description("The event rendered with its TP_printk format")
    public String fields;
}
