package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.trace.TraceArray;
import org.kmodel.trace.TraceEventInfo;
import org.kmodel.trace.TraceRecord;

/**
 * What the tracefs files read and write (kernel/trace/trace.c, kernel/trace/trace_events.c), kept apart
 * from their registration so it can be tested without a framework. Every write parses completely before
 * it changes anything, so a malformed write changes nothing.
 */
final class TraceFsFiles {
    private final TraceArray array;
    /** The 6.x layout of trace and trace_pipe (five flag columns, 7-wide PID) instead of 3.x's. */
    private final boolean modernLayout;

    TraceFsFiles(TraceArray array) {
        this(array, org.kmodel.kernel.KernelRelease.DEFAULT);
    }

    TraceFsFiles(TraceArray array, org.kmodel.kernel.KernelRelease release) {
        this.array = array;
        this.modernLayout = release.atLeast(6, 0);
    }

    /** {@code available_events}: every event as {@code system:event}. */
    String availableEvents() {
        StringBuilder sb = new StringBuilder();
        for (TraceEventInfo e : array.events()) {
            sb.append(e.fullName()).append('\n');
        }
        return sb.toString();
    }

    /** {@code set_event} read: the enabled events. */
    String setEvent() {
        StringBuilder sb = new StringBuilder();
        for (TraceEventInfo e : array.events()) {
            if (e.enabled()) {
                sb.append(e.fullName()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * {@code set_event} write ({@code ftrace_event_write} → {@code ftrace_set_clr_event}): whitespace-separated
     * {@code [!]system:event}, {@code system:*}, {@code *:event}, {@code *:*} or a bare name matching an event
     * or a system. Opened for writing with {@code >} the file first disables everything; a write made only of
     * {@code !} entries is taken as the {@code >>} idiom and disables just those. EINVAL if an entry matches
     * nothing; entries are checked before anything changes.
     */
    void writeSetEvent(String content) {
        List<String[]> ops = new ArrayList<>();
        boolean onlyRemovals = true;
        for (String token : content.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            boolean set = !token.startsWith("!");
            String spec = set ? token : token.substring(1);
            onlyRemovals &= !set;
            String[] se = parseEventSpec(spec);
            if (!anyMatch(se[0], se[1])) {
                throw new KernelException(Errno.EINVAL, "set_event: no event matches '" + spec + "'");
            }
            ops.add(new String[] {se[0], se[1], set ? "1" : "0"});
        }
        if (ops.isEmpty() || !onlyRemovals) {
            array.setEventEnabled("*", "*", false);
        }
        for (String[] op : ops) {
            apply(op[0], op[1], op[2].equals("1"));
        }
    }

    private static String[] parseEventSpec(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return new String[] {null, spec}; // matched against event names, then system names
        }
        String sys = spec.substring(0, colon);
        String ev = spec.substring(colon + 1);
        return new String[] {sys.isEmpty() ? "*" : sys, ev.isEmpty() ? "*" : ev};
    }

    private boolean anyMatch(String system, String event) {
        for (TraceEventInfo e : array.events()) {
            if (bareMatches(system, event, e)) {
                return true;
            }
        }
        return false;
    }

    private static boolean bareMatches(String system, String event, TraceEventInfo e) {
        String s = e.definition().system();
        String n = e.definition().name();
        if (system == null) {
            return event.equals("*") || event.equals(n) || event.equals(s);
        }
        return (system.equals("*") || system.equals(s)) && (event.equals("*") || event.equals(n));
    }

    private void apply(String system, String event, boolean on) {
        if (system != null) {
            array.setEventEnabled(system, event, on);
            return;
        }
        for (TraceEventInfo e : array.events()) {
            if (bareMatches(null, event, e)) {
                array.setEventEnabled(e.definition().system(), e.definition().name(), on);
            }
        }
    }

    /** {@code events/.../enable} read: 0, 1, or X when a directory's events are mixed. */
    String enable(String system, String event) {
        boolean any = false;
        boolean on = false;
        boolean off = false;
        for (TraceEventInfo e : array.events()) {
            if (matches(system, e.definition().system())
                    && matches(event, e.definition().name())) {
                any = true;
                on |= e.enabled();
                off |= !e.enabled();
            }
        }
        if (!any) {
            throw new KernelException(Errno.ENOENT, "events/" + system + "/" + event + "/enable");
        }
        return (on && off ? "X" : on ? "1" : "0") + "\n";
    }

    /** {@code events/.../enable} write: "0" or "1", anything else EINVAL (event_enable_write). */
    void writeEnable(String system, String event, String content) {
        array.setEventEnabled(system, event, parseBool(content, true));
    }

    /** {@code tracing_on} read. */
    String tracingOn() {
        return (array.tracingOn() ? "1" : "0") + "\n";
    }

    /** {@code tracing_on} write (rb_simple_write): any number; non-zero turns recording on. */
    void writeTracingOn(String content) {
        array.setTracingOn(parseBool(content, false));
    }

    /** {@code options/overwrite} read. */
    String overwrite() {
        return (array.overwrite() ? "1" : "0") + "\n";
    }

    /** {@code options/overwrite} write (trace_options_core_write): 0 or 1, else EINVAL. */
    void writeOverwrite(String content) {
        array.setOverwrite(parseBool(content, true));
    }

    /** {@code trace}: the header and every unconsumed event. */
    String trace() {
        return TraceOutput.trace(array.stats(), array.snapshot(), modernLayout, tracer());
    }

    /** {@code current_tracer} of the array (nop unless the function tracers run). */
    private String tracer() {
        return array instanceof TraceArrayImpl a ? a.currentTracer() : "nop";
    }

    /** Writing {@code trace} clears the buffer ({@code tracing_open} with O_TRUNC resets it). */
    void clearTrace() {
        array.clear();
    }

    /**
     * {@code trace_pipe}: consumes the events, blocking until there is at least one (interrupt, Ctrl-C,
     * ends the wait with what was read: nothing).
     */
    String tracePipe() {
        try {
            List<TraceRecord> got = List.of();
            while (got.isEmpty()) {
                got = array.consume(Integer.MAX_VALUE, 1, TimeUnit.SECONDS);
            }
            return GraphOutput.TRACER.equals(tracer())
                    ? GraphOutput.lines(got, array.stats().buffers())
                    : TraceOutput.lines(got, modernLayout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static boolean matches(String pattern, String name) {
        return pattern == null || pattern.equals("*") || pattern.equals(name);
    }

    /** kstrtoul; {@code strict} allows only 0 and 1 (event enable files). */
    static boolean parseBool(String content, boolean strict) {
        String t = content == null ? "" : content.trim();
        long v;
        try {
            v = Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new KernelException(Errno.EINVAL, "write error");
        }
        if (strict && v > 1) {
            throw new KernelException(Errno.EINVAL, "write error");
        }
        return v != 0;
    }
}
