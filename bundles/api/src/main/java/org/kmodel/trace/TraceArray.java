package org.kmodel.trace;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The ftrace instance ({@code struct trace_array}, kernel/trace/trace.c and trace_events.c): which
 * events record into the ring buffer, the {@code tracing_on} switch and the buffer itself. This is what
 * the tracefs files and {@code trace-cmd} drive.
 */
@ProviderType
public interface TraceArray {
    /** Every event as {@code available_events} lists it ({@code system:event}), sorted. */
    List<TraceEventInfo> events();

    /**
     * Enables or disables recording of events; {@code system} and {@code event} may be {@code "*"} or
     * {@code null} for "all" ({@code __ftrace_set_clr_event}). EINVAL if nothing matched; ENODEV if the
     * event's module is going away.
     */
    void setEventEnabled(String system, String event, boolean enabled);

    /** {@code tracing_on}: while off, enabled events are not recorded. */
    boolean tracingOn();

    void setTracingOn(boolean on);

    /**
     * {@code options/overwrite}: when a buffer is full, overwrite its oldest events (true, the default) or
     * drop new ones (false). Switching keeps what is in the buffers.
     */
    boolean overwrite();

    void setOverwrite(boolean overwrite);

    /** The events in the buffer, oldest first, without consuming them (the {@code trace} file). */
    List<TraceRecord> snapshot();

    /**
     * Removes and returns the oldest events (the {@code trace_pipe} file), waiting up to
     * {@code timeout} for the first one; an empty list after the timeout or on interrupt.
     */
    List<TraceRecord> consume(int max, long timeout, TimeUnit unit) throws InterruptedException;

    /** Empties every buffer ({@code echo > trace}). */
    void clear();

    /** Entries now in the buffers, written, lost, and the number of buffers ({@code trace} header). */
    TraceBufferStats stats();
}
