package org.kmodel.mm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.mm.FindVmaProbe;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.MmService;
import org.kmodel.mm.VmaCacheDesign;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The running kernel's mm subsystem (mm/): the running {@link MmInstance} (this component is it, with init as
 * pid 1; every {@link MmKernel} call goes straight to it), the registered cache designs (whiteboard, swappable
 * at runtime) and the find_vma probes. The release profile chooses the default
 * design: 3.14 the per-mm mmap_cache, 3.15 the per-thread vmacache, 6.18 none (removed in 6.1).
 */
@Component(service = MmService.class, immediate = true, configurationPid = "org.kmodel.mm")
@Designate(ocd = MmComponent.Config.class)
public class MmComponent extends MmInstance implements MmService, DesignRegistry {

    @ObjectClassDefinition(name = "kmodel mm", description = "Memory manager: VMA cache selection")
    public @interface Config {
        @AttributeDefinition(description = "Cache design at boot; empty: the release profile's default")
        String design() default "";
    }

    /** The boot property the release profile reads. */
    static final String RELEASE_PROPERTY = ReleaseProfile.PROPERTY;

    private final Map<String, VmaCacheDesign<?, ?>> designs = new ConcurrentHashMap<>();
    private final List<FindVmaProbe> probes = new CopyOnWriteArrayList<>();
    /** Set once init runs: from then on a design that arrives or leaves changes the running selection. */
    private volatile boolean started;

    private volatile ReleaseProfile profile;
    private volatile String preferred = "vmacache";
    /** Set once a user selected a design: later arrivals no longer change the selection. */
    private volatile boolean userSelected;

    static String defaultDesign(KernelRelease r) {
        switch (r) {
            case V3_13:
            case V3_14:
                return "mmapcache";
            case V6_18:
                return "none";
            default:
                return "vmacache";
        }
    }

    static KernelRelease release(String property) {
        try {
            return property == null || property.isBlank() ? KernelRelease.DEFAULT : KernelRelease.parse(property);
        } catch (KernelException e) {
            return KernelRelease.DEFAULT;
        }
    }

    private volatile boolean configured;

    public MmComponent() {
        super(null, null);
    }

    @Activate
    void activate(BundleContext ctx, Config config) {
        configured = !config.design().isBlank();
        ReleaseProfile p = profile;
        KernelRelease r = p != null ? p.release() : release(ctx.getProperty(RELEASE_PROPERTY));
        start(configured ? config.design() : defaultDesign(r));
    }

    /**
     * The release profile (org.kmodel.kernel), optional: without it the boot property decides, else 3.15.
     * If it arrives after activation it still sets the default design, unless a user or the configuration
     * chose one.
     */
    @Reference(
            service = ReleaseProfile.class,
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProfile(ReleaseProfile p) {
        profile = p;
        if (started && !configured && !userSelected) {
            preferred = defaultDesign(p.release());
            if (designs.containsKey(preferred) || "none".equals(preferred)) {
                super.selectCacheDesign(preferred);
            }
        }
    }

    void unbindProfile(ReleaseProfile p) {
        if (profile == p) {
            profile = null;
        }
    }

    /**
     * An mm subsystem outside OSGi (unit tests, benchmarks, tools) with the given designs, selecting
     * {@code design} (the release default if null).
     */
    public static MmService standalone(java.util.Collection<? extends VmaCacheDesign<?, ?>> designs, String design) {
        MmComponent c = new MmComponent();
        for (VmaCacheDesign<?, ?> d : designs) {
            c.bindDesign(d);
        }
        c.start(design == null ? defaultDesign(KernelRelease.DEFAULT) : design);
        return c;
    }

    private void start(String design) {
        preferred = design;
        VmaCacheDesign<?, ?> d = designs.get(preferred);
        findVma.select(d == null ? NoCache.INSTANCE : d);
        probes(probes.toArray(new FindVmaProbe[0]));
        spawn("init");
        started = true;
    }

    @Reference(
            service = VmaCacheDesign.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDesign(VmaCacheDesign<?, ?> d) {
        designs.put(d.name(), d);
        if (started && !userSelected && d.name().equals(preferred)) {
            super.selectCacheDesign(d.name());
        }
    }

    void unbindDesign(VmaCacheDesign<?, ?> d) {
        designs.remove(d.name(), d);
        if (started && findVma.design() == d) {
            super.selectCacheDesign("none"); // the bundle went away: fall back to the tree until another is chosen
        }
    }

    @Reference(
            service = FindVmaProbe.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindProbe(FindVmaProbe p) {
        probes.add(p);
        probes(probes.toArray(new FindVmaProbe[0]));
    }

    void unbindProbe(FindVmaProbe p) {
        probes.remove(p);
        probes(probes.toArray(new FindVmaProbe[0]));
    }

    @Override
    public VmaCacheDesign<?, ?> get(String name) {
        return designs.get(name);
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(designs.keySet());
    }

    @Override
    public MmKernel newInstance(String design) {
        MmInstance k = new MmInstance(this, null);
        k.selectCacheDesign(design);
        return k;
    }

    @Override
    public String describe(String design) {
        VmaCacheDesign<?, ?> d = designs.get(design);
        if (d == null && "none".equals(design)) {
            d = NoCache.INSTANCE;
        }
        if (d == null) {
            throw new KernelException(Errno.EINVAL, "unknown cache design '" + design + "'");
        }
        return d.description();
    }

    @Override
    public void selectCacheDesign(String name) {
        super.selectCacheDesign(name);
        userSelected = true;
    }

    /** /proc/PID/maps as the booted release prints it (3.x names other threads' stacks). */
    @Override
    public String procMaps(int pid) {
        ReleaseProfile p = profile;
        return procMaps(pid, p != null ? p.release() : KernelRelease.DEFAULT);
    }
}
