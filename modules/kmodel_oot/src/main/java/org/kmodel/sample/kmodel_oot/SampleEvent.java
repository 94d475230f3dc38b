package org.kmodel.sample.kmodel_oot;

import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleLoader;
import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointRegistry;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The driver's call site of {@code trace_sample_event(count, msg)}. The tracepoint exists only if the
 * tracing subsystem created it when this module was COMING (its taints allowed it); without the trace
 * bundle, or when the module's taints kept it from being created, the call site does nothing.
 */
@Component(
        service = SampleEvent.class,
        property = {"osgi.command.scope=kmodel_oot", "osgi.command.function=fire"})
public class SampleEvent {
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TracepointRegistry registry;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModuleLoader loader;

    @Descriptor("fire kmodel_sample:sample_event COUNT times (default: the module parameter count, else 1)")
    public String fire(@Descriptor("message") String msg) {
        TracepointRegistry r = registry;
        Tracepoint tp = r == null ? null : r.find("kmodel_sample", "sample_event");
        int n = count();
        if (tp == null) {
            return "kmodel_oot: tracepoint kmodel_sample:sample_event does not exist; " + n + " event(s) not traced";
        }
        for (int i = 1; i <= n; i++) {
            tp.fire(i, msg);
        }
        return "kmodel_oot: fired kmodel_sample:sample_event " + n + " time(s)" + (tp.enabled() ? "" : " (disabled)");
    }

    private int count() {
        ModuleLoader l = loader;
        KernelModule m = l == null ? null : l.find("kmodel_oot");
        Map<String, String> p = m == null ? Map.of() : m.parameters();
        try {
            return Math.max(1, Integer.parseInt(p.getOrDefault("count", "1")));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
