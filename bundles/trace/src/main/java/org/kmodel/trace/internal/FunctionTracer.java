package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFile;
import org.kmodel.livepatch.FunctionTracing;
import org.kmodel.trace.TraceArray;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code function} and {@code function_graph} tracers (kernel/trace/trace_functions.c,
 * trace_functions_graph.c) on the patchable functions, and their tracefs files: {@code current_tracer},
 * {@code available_tracers}, {@code available_filter_functions}, {@code set_ftrace_filter}. They record into
 * the same ring buffer as the events; {@code trace} and {@code trace_pipe} print them in the current tracer's
 * format. Setting a tracer other than the current one empties the buffer (tracing_set_tracer → tracer_init).
 * With {@code nop} no function is traced and every patchable site is a direct call again.
 */
@Component(immediate = true)
public class FunctionTracer implements FunctionTracing.Callback {
    static final List<String> TRACERS = List.of("function_graph", "function", "nop");

    private final FunctionTracing ftrace;
    private final TraceArrayImpl array;
    private final FtraceFilter filter;
    private final BundleContext context;
    private final List<ServiceRegistration<ProcFile>> regs = new ArrayList<>();
    private volatile boolean graph;

    @Activate
    public FunctionTracer(@Reference FunctionTracing ftrace, @Reference TraceArray array, BundleContext context) {
        this(ftrace, (TraceArrayImpl) array, context);
    }

    FunctionTracer(FunctionTracing ftrace, TraceArrayImpl array, BundleContext context) {
        this.ftrace = ftrace;
        this.array = array;
        this.context = context;
        this.filter = new FtraceFilter(ftrace::availableFilterFunctions);
        if (context != null) {
            file("current_tracer", w -> array.currentTracer() + "\n", (w, c) -> setTracer(c), null);
            file("available_tracers", w -> String.join(" ", TRACERS) + "\n", null, null);
            file("available_filter_functions", w -> lines(ftrace.availableFilterFunctions()), null, null);
            file("set_ftrace_filter", w -> filter.read(), (w, c) -> writeFilter(c), w -> filter.truncate());
        }
    }

    @Deactivate
    void deactivate() {
        ftrace.trace(null, null);
        array.setCurrentTracer("nop");
        for (ServiceRegistration<ProcFile> r : regs) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
        }
    }

    /** {@code echo NAME > current_tracer}: EINVAL for an unknown tracer, nothing changed. */
    synchronized void setTracer(String content) {
        String name = content.trim();
        if (!TRACERS.contains(name)) {
            throw new KernelException(Errno.EINVAL, "current_tracer: no tracer " + name);
        }
        if (name.equals(array.currentTracer())) {
            return;
        }
        ftrace.trace(null, null);
        array.clear();
        graph = name.equals(GraphOutput.TRACER);
        array.setCurrentTracer(name);
        attach();
    }

    synchronized void writeFilter(String content) {
        if (filter.write(content)) {
            attach();
        }
    }

    String readFilter() {
        return filter.read();
    }

    void truncateFilter() {
        filter.truncate();
    }

    private void attach() {
        ftrace.trace("nop".equals(array.currentTracer()) ? null : this, filter.selection());
    }

    @Override
    public void entry(String function, String parent, int depth) {
        array.recordFunction(new FunctionEvent(
                graph ? FunctionEvent.Kind.ENTRY : FunctionEvent.Kind.FUNCTION, function, parent, depth, 0));
    }

    @Override
    public void exit(String function, int depth, long nanos) {
        if (graph) {
            array.recordFunction(new FunctionEvent(FunctionEvent.Kind.RETURN, function, null, depth, nanos));
        }
    }

    private static String lines(List<String> names) {
        StringBuilder sb = new StringBuilder();
        names.forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }

    private void file(
            String relative,
            Function<String, String> read,
            BiConsumer<String, String> write,
            Consumer<String> truncate) {
        for (String root : TraceFs.ROOTS) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(ProcFile.PATH, root + "/" + relative);
            regs.add(context.registerService(ProcFile.class, ProcFile.of(read, write, truncate), props));
        }
    }
}
