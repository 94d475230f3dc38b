package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.trace.TraceArray;
import org.kmodel.trace.TraceBufferStats;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceEventInfo;
import org.kmodel.trace.TraceRecord;
import org.kmodel.trace.TracepointManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The global trace array (kernel/trace/trace.c {@code global_trace}, kernel/trace/trace_events.c):
 * enabling an event attaches the recording probe to its tracepoint ({@code trace_event_reg}), the
 * probe writes into the calling thread's ring buffer while {@code tracing_on} is 1. It works on the
 * {@link TracepointCore} of this bundle (it needs the event formats to print records).
 */
@Component(service = TraceArray.class, configurationPid = TraceArrayImpl.PID)
@Designate(ocd = TraceArrayImpl.Config.class)
public class TraceArrayImpl implements TraceArray {
    static final String PID = "org.kmodel.trace";

    @ObjectClassDefinition(name = "kmodel trace buffer", description = "The global trace array's ring buffers")
    public @interface Config {
        @AttributeDefinition(description = "Entries per per-thread ring buffer (rounded up to a power of two)")
        int buffer_entries() default 4096;

        @AttributeDefinition(description = "options/overwrite: 1 overwrites the oldest entries, 0 drops new ones")
        boolean overwrite() default true;

        @AttributeDefinition(
                description = "Also emit every recorded event as a JFR event (kmodel.Tracepoint), "
                        + "if the JVM has jdk.jfr")
        boolean jfr() default false;
    }

    private final TracepointCore core;
    /** The trace clock's zero: the kernel log's boot, so trace and dmesg timestamps agree. */
    private final long bootNanos;

    private volatile TraceBuffers buffers;
    private volatile boolean tracingOn = true;
    private volatile String currentTracer = "nop";
    /** The tracepoint state the recorder is attached to, per event; identity detects a re-defined event. */
    private final Map<String, TracepointState> enabled = new ConcurrentHashMap<>();

    private final BufferProbe recorder = new BufferProbe() {
        @Override
        void record(
                TracepointSite site,
                int n,
                Object a0,
                Object a1,
                Object a2,
                Object a3,
                Object a4,
                Object a5,
                Object[] all) {
            TraceArrayImpl.this.record(site, n, a0, a1, a2, a3, a4, a5, all);
        }
    };
    /** The JFR bridge while switched on; only then is jdk.jfr touched (its import is optional). */
    private volatile org.kmodel.trace.internal.jfr.JfrBridge jfr;

    @Activate
    public TraceArrayImpl(
            @Reference(target = "(component.name=org.kmodel.trace.internal.TracepointCore)") TracepointManager manager,
            @Reference KernelLog log,
            Config config) {
        this(
                (TracepointCore) manager,
                config.buffer_entries(),
                config.overwrite(),
                System.nanoTime() - log.nanosSinceBoot());
        setJfr(config.jfr());
    }

    TraceArrayImpl(TracepointCore core, int bufferEntries, boolean overwrite) {
        this(core, bufferEntries, overwrite, System.nanoTime());
    }

    private TraceArrayImpl(TracepointCore core, int bufferEntries, boolean overwrite, long bootNanos) {
        this.core = core;
        this.bootNanos = bootNanos;
        this.buffers = new TraceBuffers(bufferEntries, overwrite, bootNanos);
    }

    @Modified
    void modified(Config config) {
        buffers = new TraceBuffers(config.buffer_entries(), config.overwrite(), bootNanos);
        setJfr(config.jfr());
    }

    /** Switches the JFR bridge; false (and nothing happens) if the JVM has no jdk.jfr. */
    boolean setJfr(boolean on) {
        if (on && org.kmodel.trace.internal.jfr.JfrBridge.available()) {
            jfr = new org.kmodel.trace.internal.jfr.JfrBridge();
            return true;
        }
        jfr = null;
        return !on;
    }

    @Deactivate
    void deactivate() {
        setEventEnabled("*", "*", false);
    }

    private void record(
            TracepointSite site,
            int n,
            Object a0,
            Object a1,
            Object a2,
            Object a3,
            Object a4,
            Object a5,
            Object[] all) {
        if (tracingOn) {
            buffers.write(site, n, a0, a1, a2, a3, a4, a5, all);
            org.kmodel.trace.internal.jfr.JfrBridge j = jfr;
            if (j != null) {
                emitJfr(j, site, TracepointState.pack(n, a0, a1, a2, a3, a4, a5, all));
            }
        }
    }

    private static void emitJfr(org.kmodel.trace.internal.jfr.JfrBridge j, TracepointSite site, Object[] fields) {
        j.emit(site.system(), site.name(), fields, site.state().type()::render);
    }

    @Override
    public List<TraceEventInfo> events() {
        List<TraceEventInfo> out = new ArrayList<>();
        for (TracepointState s : core.states()) {
            TraceEventDefinition d = s.type().definition();
            out.add(new TraceEventInfo(d, s.type().id(), isEnabled(s), core.live(d.system(), d.name())));
        }
        return out;
    }

    private boolean isEnabled(TracepointState s) {
        return enabled.get(s.type().definition().fullName()) == s && !s.removed();
    }

    @Override
    public synchronized void setEventEnabled(String system, String event, boolean on) {
        List<TracepointState> matched = new ArrayList<>();
        for (TracepointState s : core.states()) {
            TraceEventDefinition d = s.type().definition();
            if (matches(system, d.system()) && matches(event, d.name())) {
                matched.add(s);
            }
        }
        if (matched.isEmpty()) {
            throw new KernelException(Errno.EINVAL, "no event matches " + system + ":" + event);
        }
        for (TracepointState s : matched) {
            String key = s.type().definition().fullName();
            if (on && !isEnabled(s)) {
                s.addProbe(recorder); // ENODEV if its module is going away
                enabled.put(key, s);
            } else if (!on && enabled.remove(key, s)) {
                s.removeProbe(recorder); // no grace period, as in the kernel: see BufferProbe
            }
        }
    }

    private static boolean matches(String pattern, String name) {
        return pattern == null || pattern.isEmpty() || pattern.equals("*") || pattern.equals(name);
    }

    @Override
    public boolean tracingOn() {
        return tracingOn;
    }

    @Override
    public void setTracingOn(boolean on) {
        tracingOn = on;
    }

    @Override
    public boolean overwrite() {
        return buffers.overwrite();
    }

    @Override
    public void setOverwrite(boolean on) {
        buffers.setOverwrite(on);
    }

    @Override
    public List<TraceRecord> snapshot() {
        return toRecords(buffers.entries());
    }

    @Override
    public List<TraceRecord> consume(int max, long timeout, TimeUnit unit) throws InterruptedException {
        return toRecords(buffers.consume(max, unit.toNanos(timeout)));
    }

    @Override
    public void clear() {
        buffers.clear();
    }

    @Override
    public TraceBufferStats stats() {
        return buffers.stats();
    }

    /** {@code current_tracer}: nop, function or function_graph (set by {@link FunctionTracer}). */
    String currentTracer() {
        return currentTracer;
    }

    void setCurrentTracer(String name) {
        currentTracer = name;
    }

    /** A function tracer's entry, from the traced task's thread (trace_function, __trace_graph_entry/return). */
    void recordFunction(FunctionEvent ev) {
        if (tracingOn) {
            buffers.write(null, 1, ev, null, null, null, null, null, null); // one field, no site
        }
    }

    private List<TraceRecord> toRecords(List<TraceBuffers.BufferedEntry> entries) {
        List<TraceRecord> out = new ArrayList<>(entries.size());
        for (TraceBuffers.BufferedEntry be : entries) {
            TraceEntry e = be.entry();
            RingBuffer.Task task = be.buffer().task(e);
            if (e.site() == null) {
                FunctionEvent f = (FunctionEvent) e.fields()[0];
                List<Object> fields = f.kind() == FunctionEvent.Kind.FUNCTION
                        ? Arrays.asList(f.function(), f.parent())
                        : List.of(f.function(), f.depth(), f.nanos());
                out.add(new TraceRecord(
                        e.timestamp() - bootNanos,
                        be.buffer().cpu(),
                        task.pid(),
                        task.comm(),
                        FunctionEvent.SYSTEM,
                        f.kind().event,
                        fields,
                        f.text()));
                continue;
            }
            TraceEventType type = e.site().state().type();
            out.add(new TraceRecord(
                    e.timestamp() - bootNanos,
                    be.buffer().cpu(),
                    task.pid(),
                    task.comm(),
                    type.definition().system(),
                    type.definition().name(),
                    Arrays.asList(e.fields()),
                    type.render(e.fields())));
        }
        return out;
    }
}
