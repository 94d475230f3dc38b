package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleNotifier;
import org.kmodel.module.ModuleState;
import org.kmodel.trace.TraceArray;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The tracing module notifiers (kernel/tracepoint.c {@code tracepoint_module_notify},
 * kernel/trace/trace_events.c {@code trace_module_notify}) plus the {@code module_load}/
 * {@code module_free} events of kernel/module.c.
 * <ul>
 * <li>COMING: fires {@code module:module_load}, then creates the module's declared tracepoints if its own
 * taints are allowed ({@link ModuleTaintRule}). Otherwise the module loads without them: from 3.14 (commit
 * 45ab2813d40d, first in v3.14-rc6) the log says {@code "<mod>: module has bad taint, not creating trace
 * events"} and no event exists; in 3.7-3.13 the tracepoints are silently missing while the event files are
 * still created, enable-able and dead.</li>
 * <li>GOING: removes the module's events (probes are detached with a grace period), clears the trace
 * buffers if the module had events (so a reused event id cannot be misread), then fires
 * {@code module:module_free}, as free_module does after the GOING notifiers.</li>
 * </ul>
 * Taint is never re-checked at GOING: a module skipped at COMING simply has nothing to remove.
 * Immediate, because it remembers what it created between COMING and GOING: a delayed component would be
 * disposed whenever the loader ungets it between two notifications.
 */
@Component(service = ModuleNotifier.class, property = "service.ranking:Integer=100", immediate = true)
public class ModuleTracepoints implements ModuleNotifier {
    private final TracepointManager manager;
    private final TraceArray traceArray;
    private final ReleaseProfile profile;
    private final KernelLog log;
    private final Map<String, List<TraceEventDefinition>> created = new ConcurrentHashMap<>();

    @Activate
    public ModuleTracepoints(
            @Reference TracepointManager manager,
            @Reference TraceArray traceArray,
            @Reference ReleaseProfile profile,
            @Reference KernelLog log) {
        this.manager = manager;
        this.traceArray = traceArray;
        this.profile = profile;
        this.log = log;
    }

    @Override
    public void moduleStateChanged(KernelModule module, ModuleState state) {
        if (state == ModuleState.COMING) {
            coming(module);
        } else if (state == ModuleState.GOING) {
            going(module);
        }
    }

    private void coming(KernelModule module) {
        fire("module_load", module.name(), ModuleTaintRule.moduleLoadFlags(module.taints()));
        List<TraceEventDefinition> declared = declarations(module);
        if (declared.isEmpty()) {
            return;
        }
        KernelRelease release = profile.release();
        boolean bad = ModuleTaintRule.hasBadTaint(module.taints(), release);
        if (bad && ModuleTaintRule.logsRefusal(release)) {
            log.err(module.name() + ": module has bad taint, not creating trace events");
            return;
        }
        List<TraceEventDefinition> done = new ArrayList<>();
        for (TraceEventDefinition d : declared) {
            if (manager.definitions().stream().anyMatch(x -> x.fullName().equals(d.fullName()))) {
                // another module (or vmlinux) owns this event: sharing it would let that owner's GOING remove ours
                log.err(module.name() + ": trace event " + d.fullName() + " already exists, not created");
                continue;
            }
            try {
                if (bad) {
                    manager.defineEventOnly(d); // 3.13: trace_module_add_events had no taint check
                } else {
                    manager.define(d);
                }
                done.add(d);
            } catch (KernelException e) {
                log.err(module.name() + ": failed to create trace event " + d.fullName() + ": " + e.getMessage());
            }
        }
        created.put(module.name(), done);
    }

    private void going(KernelModule module) {
        List<TraceEventDefinition> mine = created.remove(module.name());
        if (mine != null && !mine.isEmpty()) {
            for (TraceEventDefinition d : mine) {
                try {
                    manager.remove(d.system(), d.name());
                } catch (KernelException e) {
                    // already gone: nothing left to tear down
                }
            }
            traceArray.clear(); // trace_module_remove_events -> tracing_reset_all_online_cpus
        }
        fire("module_free", module.name());
    }

    private List<TraceEventDefinition> declarations(KernelModule module) {
        List<TraceEventDefinition> out = new ArrayList<>();
        for (String decl : module.tracepoints()) {
            try {
                out.add(TracepointDeclaration.parse(decl, module.name()));
            } catch (KernelException e) {
                log.err(module.name() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private void fire(String event, Object... fields) {
        Tracepoint tp = manager.find("module", event);
        if (tp != null) {
            tp.fire(fields);
        }
    }

    /** The events created for a module (for tests and diagnostics). */
    List<TraceEventDefinition> createdFor(String module) {
        return created.getOrDefault(module, List.of());
    }
}
