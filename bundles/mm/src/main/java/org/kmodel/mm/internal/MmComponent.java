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
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.FindVmaProbe;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.MmService;
import org.kmodel.mm.Task;
import org.kmodel.mm.VmArea;
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
 * The running kernel's mm subsystem (mm/): one {@link MmInstance} with init as pid 1, the registered cache
 * designs (whiteboard, swappable at runtime) and the find_vma probes. The release profile chooses the default
 * design: 3.14 the per-mm mmap_cache, 3.15 the per-thread vmacache, 6.18 none (removed in 6.1).
 */
@Component(service = MmService.class, immediate = true, configurationPid = "org.kmodel.mm")
@Designate(ocd = MmComponent.Config.class)
public class MmComponent implements MmService, DesignRegistry {

    @ObjectClassDefinition(name = "kmodel mm", description = "Memory manager: VMA cache selection")
    public @interface Config {
        @AttributeDefinition(description = "Cache design at boot; empty: the release profile's default")
        String design() default "";
    }

    /** The boot property the release profile reads. */
    static final String RELEASE_PROPERTY = ReleaseProfile.PROPERTY;

    private final Map<String, VmaCacheDesign<?, ?>> designs = new ConcurrentHashMap<>();
    private final List<FindVmaProbe> probes = new CopyOnWriteArrayList<>();
    private volatile MmInstance live;
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
    @Reference(service = ReleaseProfile.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindProfile(ReleaseProfile p) {
        profile = p;
        MmInstance k = live;
        if (k != null && !configured && !userSelected) {
            preferred = defaultDesign(p.release());
            if (designs.containsKey(preferred) || "none".equals(preferred)) {
                k.selectCacheDesign(preferred);
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
        MmInstance k = new MmInstance(this, designs.get(preferred));
        k.probes(probes.toArray(new FindVmaProbe[0]));
        k.spawn("init");
        live = k;
    }

    @Reference(service = VmaCacheDesign.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindDesign(VmaCacheDesign<?, ?> d) {
        designs.put(d.name(), d);
        MmInstance k = live;
        if (k != null && !userSelected && d.name().equals(preferred)) {
            k.selectCacheDesign(d.name());
        }
    }

    void unbindDesign(VmaCacheDesign<?, ?> d) {
        designs.remove(d.name(), d);
        MmInstance k = live;
        if (k != null && k.findVma.design() == d) {
            k.selectCacheDesign("none"); // the bundle went away: fall back to the tree until another is chosen
        }
    }

    @Reference(service = FindVmaProbe.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindProbe(FindVmaProbe p) {
        probes.add(p);
        MmInstance k = live;
        if (k != null) {
            k.probes(probes.toArray(new FindVmaProbe[0]));
        }
    }

    void unbindProbe(FindVmaProbe p) {
        probes.remove(p);
        MmInstance k = live;
        if (k != null) {
            k.probes(probes.toArray(new FindVmaProbe[0]));
        }
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
        live.selectCacheDesign(name);
        userSelected = true;
    }

    @Override
    public int spawn(String comm) {
        return live.spawn(comm);
    }

    @Override
    public void exec(int pid, String comm) {
        live.exec(pid, comm);
    }

    @Override
    public int clone(int parent, int child, boolean cloneVm, boolean thread) {
        return live.clone(parent, child, cloneVm, thread);
    }

    @Override
    public void exit(int pid) {
        live.exit(pid);
    }

    @Override
    public int kthreadUseMm(String comm, int mmOwner) {
        return live.kthreadUseMm(comm, mmOwner);
    }

    @Override
    public Task task(int pid) {
        return live.task(pid);
    }

    @Override
    public List<Task> tasks() {
        return live.tasks();
    }

    @Override
    public VmArea findVma(int pid, long addr) {
        return live.findVma(pid, addr);
    }

    @Override
    public VmArea findVmaRemote(int pid, int target, long addr) {
        return live.findVmaRemote(pid, target, addr);
    }

    @Override
    public VmArea fault(int pid, long addr) {
        return live.fault(pid, addr);
    }

    @Override
    public VmArea peekVma(int pid, long addr) {
        return live.peekVma(pid, addr);
    }

    @Override
    public List<VmArea> maps(int pid) {
        return live.maps(pid);
    }

    @Override
    public String procMaps(int pid) {
        ReleaseProfile p = profile;
        return live.procMaps(pid, p != null ? p.release() : KernelRelease.DEFAULT);
    }

    @Override
    public String procMaps(int pid, KernelRelease release) {
        return live.procMaps(pid, release);
    }

    @Override
    public void setStackPointer(int tid, long sp) {
        live.setStackPointer(tid, sp);
    }

    @Override
    public long mmap(int pid, long addr, long len, int prot, int flags, String file, long offset) {
        return live.mmap(pid, addr, len, prot, flags, file, offset);
    }

    @Override
    public void munmap(int pid, long addr, long len) {
        live.munmap(pid, addr, len);
    }

    @Override
    public void mprotect(int pid, long addr, long len, int prot) {
        live.mprotect(pid, addr, len, prot);
    }

    @Override
    public long brk(int pid, long addr) {
        return live.brk(pid, addr);
    }

    @Override
    public long mremap(int pid, long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        return live.mremap(pid, oldAddr, oldLen, newLen, flags, newAddr);
    }

    @Override
    public void madvise(int pid, long addr, long len) {
        live.madvise(pid, addr, len);
    }

    @Override
    public void setStartBrk(int pid, long addr) {
        live.setStartBrk(pid, addr);
    }

    @Override
    public void mmapRegion(int pid, long start, long end, int vmFlags, String file, long pgoff) {
        live.mmapRegion(pid, start, end, vmFlags, file, pgoff);
    }

    @Override
    public void doMunmap(int pid, long start, long end) {
        live.doMunmap(pid, start, end);
    }

    @Override
    public void mprotectRange(int pid, long start, long end, int prot) {
        live.mprotectRange(pid, start, end, prot);
    }

    @Override
    public void doMremap(int pid, long oldAddr, long oldLen, long newLen, long newAddr) {
        live.doMremap(pid, oldAddr, oldLen, newLen, newAddr);
    }

    @Override
    public String cacheDesign() {
        return live.cacheDesign();
    }

    @Override
    public List<String> cacheDesigns() {
        return live.cacheDesigns();
    }

    @Override
    public List<CacheStats> cacheStats() {
        return live.cacheStats();
    }

    @Override
    public CacheStats currentStats() {
        return live.currentStats();
    }

}
