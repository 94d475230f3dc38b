package org.kmodel.trace.internal;

import java.util.function.Consumer;
import java.util.function.Function;
import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.FindVmaProbe;
import org.kmodel.mm.VmArea;
import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Feeds {@code kmodel:find_vma_hit} and {@code kmodel:find_vma_miss} from the mm's {@link FindVmaProbe} hook. The
 * hook is registered only while one of the two tracepoints is enabled, so with tracing off the mm's lookup
 * pays only its own null check of the probe array, as an unpatched static key costs nothing.
 */
@Component(immediate = true)
public class MmFindVmaTrace implements FindVmaProbe {
    private final TracepointCore core;
    private final Tracepoint hit;
    private final Tracepoint miss;
    private final Function<FindVmaProbe, Runnable> register;
    private final Consumer<TracepointState> onArm = s -> reconcile();
    private Runnable unregister;

    @Activate
    public MmFindVmaTrace(
            @Reference(target = "(component.name=org.kmodel.trace.internal.TracepointCore)") TracepointManager manager,
            BundleContext context) {
        this((TracepointCore) manager, probe -> {
            ServiceRegistration<FindVmaProbe> r = context.registerService(FindVmaProbe.class, probe, null);
            return () -> {
                try {
                    r.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            };
        });
    }

    MmFindVmaTrace(TracepointCore core, Function<FindVmaProbe, Runnable> register) {
        this.core = core;
        this.hit = core.find("kmodel", "find_vma_hit");
        this.miss = core.find("kmodel", "find_vma_miss");
        this.register = register;
        core.addArmListener(onArm);
        reconcile();
    }

    @Deactivate
    synchronized void deactivate() {
        core.removeArmListener(onArm);
        if (unregister != null) {
            unregister.run();
            unregister = null;
        }
    }

    /** Registers or unregisters the hook to match the tracepoints' current state (idempotent). */
    private synchronized void reconcile() {
        boolean want = hit.enabled() || miss.enabled();
        if (want && unregister == null) {
            unregister = register.apply(this);
        } else if (!want && unregister != null) {
            unregister.run();
            unregister = null;
        }
    }

    boolean hooked() {
        return unregister != null;
    }

    @Override
    public void findVma(int task, AddressSpace mm, long addr, VmArea result, boolean cacheHit, String design) {
        Tracepoint tp = cacheHit ? hit : miss;
        if (tp.enabled()) {
            tp.fire(task, addr, result == null ? 0L : result.start(), result == null ? 0L : result.end(), design);
        }
    }
}
