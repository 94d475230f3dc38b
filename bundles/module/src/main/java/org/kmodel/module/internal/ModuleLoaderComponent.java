package org.kmodel.module.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kmodel.kernel.BootParams;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.Taint;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleEntry;
import org.kmodel.module.ModuleLoader;
import org.kmodel.module.ModuleNotifier;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.SignatureInfo;
import org.kmodel.trace.TracepointRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The module loader service (kernel/module/main.c): wires {@link ModuleLoaderCore} to the kernel core
 * services, the swappable signature verifier (dynamic, greedy: a higher-ranked verifier takes over for
 * the next load) and the module notifier chain (every {@link ModuleNotifier}, highest ranking first).
 */
@Component(service = ModuleLoader.class, immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public class ModuleLoaderComponent implements ModuleLoader {
    /*
     * The loader's switches are the kernel's build configuration and command line, fixed when the kernel boots:
     * framework properties (./kmodel -D kmodel.module.sig_force=true, config.properties), never ConfigAdmin, so
     * no configuration dropped into load/ (or made with cm:) can weaken a running loader. See docs/hardening.md.
     */
    /** CONFIG_MODULE_SIG: check module signatures (default true). */
    static final String SIG = "kmodel.module.sig";
    /** CONFIG_MODULE_SIG_FORCE: refuse modules without a valid signature (default false). */
    static final String SIG_FORCE = "kmodel.module.sig_force";
    /** CONFIG_MODULE_FORCE_LOAD: allow insmod -f (default true). */
    static final String FORCE_LOAD = "kmodel.module.force_load";
    /** CONFIG_MODULE_FORCE_UNLOAD: allow rmmod -f (default true). */
    static final String FORCE_UNLOAD = "kmodel.module.force_unload";
    /** The module directory; unset means ${kmodel.home}/lib/modules/<uname -r>. */
    static final String DIR = "kmodel.module.dir";

    private final ModuleLoaderCore core;
    private final ModuleProcFiles procFiles;
    private final Path moduleDir;
    private final List<ServiceReference<ModuleNotifier>> notifierRefs = new CopyOnWriteArrayList<>();
    private final BundleContext ctx;
    private final BundleListener listener;
    /** The loader's own notifier (sysfs parameter files), called before the registered ones. */
    private volatile ModuleNotifier parameterFiles;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModuleSignatureVerifier verifier;

    @Activate
    public ModuleLoaderComponent(
            @Reference ReleaseProfile profile,
            @Reference Taint taint,
            @Reference KernelLog log,
            @Reference BootParams boot,
            BundleContext ctx) {
        this.ctx = ctx;
        this.core = new ModuleLoaderCore(
                profile.release(), taint, log, () -> verifier, this::notifiers, new BundleModuleCode(ctx));
        LoaderSettings s = core.settings;
        s.moduleSig = flag(ctx, SIG, true);
        s.sigEnforce = flag(ctx, SIG_FORCE, false) || boot.getBoolean("module.sig_enforce", false);
        s.forceLoad = flag(ctx, FORCE_LOAD, true);
        s.forceUnload = flag(ctx, FORCE_UNLOAD, true);
        s.blacklist = java.util.Set.copyOf(ModuleFile.list(boot.get("module_blacklist", "")));
        String dir = ctx.getProperty(DIR);
        this.moduleDir = dir == null || dir.isBlank()
                ? Paths.get(System.getProperty("kmodel.home", "."), "lib", "modules", profile.unameRelease())
                : Paths.get(dir);
        this.procFiles = new ModuleProcFiles(core);
        procFiles.register(ctx);
        this.parameterFiles = procFiles.parameterFiles(ctx);
        this.listener = e -> {
            if (e.getType() == BundleEvent.UNINSTALLED
                    && e.getBundle().getLocation().startsWith(BundleModuleCode.LOCATION_PREFIX)) {
                core.bundleGone(e.getBundle().getBundleId());
            }
        };
        ctx.addBundleListener(listener);
    }

    /**
     * A loader without OSGi, for the bundle's test-support export ({@code org.kmodel.module.testing}): every check
     * of load_module and delete_module runs as in the service, but a module's code is only counted, not installed
     * into a framework (its init always succeeds), no notifier is called and no /proc or sysfs file is registered.
     * Nothing deactivates it. (A static factory: SCR picks the constructor by its number of arguments, so no
     * second public constructor of the component's arity may exist.)
     */
    public static ModuleLoader standalone(
            KernelRelease release, Taint taint, KernelLog log, ModuleSignatureVerifier verifier, Path moduleDir) {
        return new ModuleLoaderComponent(
                new ModuleLoaderCore(release, taint, log, () -> verifier, List::of, new CountedCode()),
                verifier,
                moduleDir);
    }

    private ModuleLoaderComponent(ModuleLoaderCore core, ModuleSignatureVerifier verifier, Path moduleDir) {
        this.ctx = null;
        this.verifier = verifier;
        this.core = core;
        this.moduleDir = moduleDir;
        this.procFiles = null;
        this.listener = null;
    }

    /** Module code outside a framework: install hands out ids, the other steps have nothing to do. */
    private static final class CountedCode implements ModuleCode {
        private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public long install(String name, byte[] payload) {
            return ids.incrementAndGet();
        }

        @Override
        public void resolve(long id) {}

        @Override
        public void start(long id) {}

        @Override
        public void stop(long id) {}

        @Override
        public void uninstall(long id) {}
    }

    private static boolean flag(BundleContext ctx, String key, boolean def) {
        String v = ctx.getProperty(key);
        return v == null || v.isBlank()
                ? def
                : Boolean.parseBoolean(v.strip())
                        || v.strip().equals("1")
                        || v.strip().equals("y");
    }

    @Deactivate
    void deactivate() {
        ctx.removeBundleListener(listener);
        procFiles.unregister();
    }

    @Reference(
            service = ModuleNotifier.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addNotifier(ServiceReference<ModuleNotifier> ref) {
        notifierRefs.add(ref);
    }

    void removeNotifier(ServiceReference<ModuleNotifier> ref) {
        notifierRefs.remove(ref);
    }

    /** The notifier chain, highest service.ranking first. */
    private List<ModuleNotifier> notifiers() {
        List<ServiceReference<ModuleNotifier>> refs = new ArrayList<>(notifierRefs);
        refs.sort((a, b) -> b.compareTo(a));
        List<ModuleNotifier> out = new ArrayList<>();
        if (parameterFiles != null) {
            out.add(parameterFiles);
        }
        for (ServiceReference<ModuleNotifier> r : refs) {
            ModuleNotifier n = ctx.getService(r);
            if (n != null) {
                out.add(n);
                ctx.ungetService(r);
            }
        }
        return out;
    }

    @Override
    public KernelModule insmod(byte[] image, String name, boolean force, List<String> params) {
        return core.load(image, name, force, params);
    }

    @Override
    public KernelModule insmod(Path file, boolean force, List<String> params) {
        return core.load(
                read(file, core.release().atLeast(4, 6)), file.getFileName().toString(), force, params);
    }

    /** finit_module's file checks: a missing file is ENOENT, a directory EINVAL (4.6+) or EISDIR. */
    static byte[] read(Path file, boolean modern) {
        if (Files.isDirectory(file)) {
            throw new KernelException(modern ? Errno.EINVAL : Errno.EISDIR, file.toString());
        }
        try {
            // kernel_read_file (fs/kernel_read_file.c): only a regular file is read (a device such as /dev/zero
            // is EINVAL at once, never read until memory runs out), an empty one is EINVAL, one over INT_MAX
            // EFBIG; the model also refuses what its heap cannot hold (ENOMEM) before reading a byte.
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new KernelException(Errno.EINVAL, file.toString());
            }
            long size = Files.size(file);
            if (size <= 0) {
                throw new KernelException(Errno.EINVAL, file.toString());
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new KernelException(Errno.EFBIG, file.toString());
            }
            if (size > Runtime.getRuntime().maxMemory() / 4) {
                throw new KernelException(Errno.ENOMEM, file.toString());
            }
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KernelException(Errno.ENOENT, file.toString());
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, file.toString(), e);
        }
    }

    @Override
    public List<KernelModule> modprobe(String name, List<String> params) {
        ModuleDirectory dir = ModuleDirectory.scan(moduleDir);
        List<KernelModule> loaded = new ArrayList<>();
        List<ModuleDirectory.Entry> order;
        try {
            order = dir.loadOrder(name);
        } catch (KernelException e) {
            KernelModule already = core.find(name);
            if (already != null) {
                return List.of(already);
            }
            throw new KernelException(Errno.ENOENT, "Module " + name + " not found in directory " + moduleDir);
        }
        for (ModuleDirectory.Entry e : order) {
            KernelModule m = core.find(e.name());
            if (m == null) {
                boolean target = e == order.get(order.size() - 1);
                m = insmod(e.path(), false, target ? params : List.of());
            }
            loaded.add(m);
        }
        return loaded;
    }

    @Override
    public void rmmod(String name, boolean force) {
        core.delete(name, force);
    }

    @Override
    public List<ModuleEntry> modules() {
        return core.entries();
    }

    @Override
    public KernelModule find(String name) {
        return core.find(name);
    }

    @Override
    public ModInfo modinfo(String name) {
        ModuleDirectory.Entry e = ModuleDirectory.scan(moduleDir).find(name);
        if (e != null) {
            return modinfo(read(e.path(), true), e.path().toString());
        }
        LoadedModule m = core.find(name);
        if (m == null) {
            throw new KernelException(Errno.ENOENT, "Module " + name + " not found.");
        }
        return new ModInfo("(loaded)", m.file().fields(), null);
    }

    @Override
    public ModInfo modinfo(byte[] image, String filename) {
        SignatureInfo sig = null;
        int len = image.length;
        ModuleSignatureVerifier v = verifier;
        if (v != null) {
            try {
                sig = v.describe(image);
            } catch (KernelException e) {
                sig = null;
            }
            len = v.modVerifySig(image, core.release()).payloadLength();
        }
        ModuleFile f = ModuleFile.parse(Arrays.copyOf(image, len), filename);
        return new ModInfo(filename, f.fields(), sig);
    }

    @Override
    public boolean moduleGet(String name) {
        return core.get(name, "try_module_get");
    }

    @Override
    public void modulePut(String name) {
        core.put(name, "module_put");
    }

    @Override
    public boolean moduleGet(String name, String callSite) {
        return core.get(name, callSite);
    }

    @Override
    public void modulePut(String name, String callSite) {
        core.put(name, callSite);
    }

    private volatile TracepointRegistry tracepoints;

    /**
     * The tracepoint registry, when the trace feature runs: module_get/module_put are looked up once per bind
     * (greedy: a replacement registry takes over at once); without one they are off and cost a field read.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTracepointRegistry(TracepointRegistry registry) {
        tracepoints = registry;
        core.refTrace = ModuleRefTrace.of(registry);
    }

    void unbindTracepointRegistry(TracepointRegistry registry) {
        if (tracepoints == registry) {
            tracepoints = null;
            core.refTrace = ModuleRefTrace.NONE;
        }
    }

    /** For the deploy-directory installer: the module a bundle id belongs to. */
    KernelModule findByBundle(long id) {
        return core.findByBundle(id);
    }
}
