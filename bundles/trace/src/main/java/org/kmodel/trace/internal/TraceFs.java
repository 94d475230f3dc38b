package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.kmodel.kernel.ProcFile;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.trace.TraceArray;
import org.kmodel.trace.TracepointManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The tracefs directory (kernel/trace/trace.c {@code tracer_init_debugfs}, trace_events.c
 * {@code event_trace_add_tracer}/{@code event_create_dir}) as {@link ProcFile} services, mounted at
 * {@code /sys/kernel/tracing} and at the 2014 spelling {@code /sys/kernel/debug/tracing}. Each event's
 * directory ({@code events/<system>/<event>/enable|format|id}) appears when the event is defined and
 * disappears when it is removed, as the kernel creates and removes it on module load and unload.
 */
@Component(immediate = true)
public class TraceFs implements TracepointCore.EventListener {
    static final List<String> ROOTS = List.of("/sys/kernel/tracing", "/sys/kernel/debug/tracing");

    private final TracepointCore core;
    private final TraceFsFiles files;
    private final BundleContext context;
    private final List<ServiceRegistration<ProcFile>> fixed = new ArrayList<>();
    private final Map<String, List<ServiceRegistration<ProcFile>>> perEvent = new ConcurrentHashMap<>();

    @Activate
    public TraceFs(
            @Reference(target = "(component.name=org.kmodel.trace.internal.TracepointCore)") TracepointManager manager,
            @Reference TraceArray array,
            @Reference ReleaseProfile profile,
            BundleContext context) {
        this.core = (TracepointCore) manager;
        this.files = new TraceFsFiles(array, profile.release());
        this.context = context;
        registerFixed();
        core.addListener(this);
    }

    @Deactivate
    void deactivate() {
        core.removeListener(this);
        perEvent.values().forEach(TraceFs::unregister);
        perEvent.clear();
        unregister(fixed);
    }

    private void registerFixed() {
        fixed.addAll(file("available_events", w -> files.availableEvents(), null));
        fixed.addAll(file("set_event", w -> files.setEvent(), (w, c) -> files.writeSetEvent(c)));
        fixed.addAll(file("tracing_on", w -> files.tracingOn(), (w, c) -> files.writeTracingOn(c)));
        fixed.addAll(file("trace", w -> files.trace(), (w, c) -> files.clearTrace()));
        fixed.addAll(file("trace_pipe", w -> files.tracePipe(), null));
        fixed.addAll(file("options/overwrite", w -> files.overwrite(), (w, c) -> files.writeOverwrite(c)));
        fixed.addAll(file("events/enable", w -> files.enable("*", "*"), (w, c) -> files.writeEnable("*", "*", c)));
        fixed.addAll(file("events/*/enable", w -> files.enable(w, "*"), (w, c) -> files.writeEnable(w, "*", c)));
    }

    @Override
    public void added(TraceEventType type) {
        String sys = type.definition().system();
        String ev = type.definition().name();
        String dir = "events/" + sys + "/" + ev + "/";
        List<ServiceRegistration<ProcFile>> regs = new ArrayList<>();
        regs.addAll(file(dir + "enable", w -> files.enable(sys, ev), (w, c) -> files.writeEnable(sys, ev, c)));
        regs.addAll(file(dir + "format", w -> type.formatFile(), null));
        regs.addAll(file(dir + "id", w -> type.id() + "\n", null));
        List<ServiceRegistration<ProcFile>> old = perEvent.put(type.definition().fullName(), regs);
        if (old != null) {
            unregister(old);
        }
    }

    @Override
    public void removed(TraceEventType type) {
        List<ServiceRegistration<ProcFile>> regs =
                perEvent.remove(type.definition().fullName());
        if (regs != null) {
            unregister(regs);
        }
    }

    private List<ServiceRegistration<ProcFile>> file(
            String relative, Function<String, String> read, BiConsumer<String, String> write) {
        List<ServiceRegistration<ProcFile>> regs = new ArrayList<>();
        for (String root : ROOTS) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(ProcFile.PATH, root + "/" + relative);
            regs.add(context.registerService(ProcFile.class, ProcFile.of(read, write), props));
        }
        return regs;
    }

    private static void unregister(List<ServiceRegistration<ProcFile>> regs) {
        for (ServiceRegistration<ProcFile> r : regs) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already unregistered with the bundle
            }
        }
    }
}
