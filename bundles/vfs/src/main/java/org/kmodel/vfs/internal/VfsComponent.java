package org.kmodel.vfs.internal;

import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.kmodel.fs.Fsck;
import org.kmodel.fs.FsckResult;
import org.kmodel.kernel.BootParams;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleLoader;
import org.kmodel.trace.TracepointRegistry;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.spi.FileSystemType;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The VFS as a DS component: registers {@link Vfs}, tracks {@link FileSystemType} services (register_filesystem
 * and its reverse) and makes the boot mounts once their types appear.
 */
@Component(service = Vfs.class, immediate = true, configurationPid = "org.kmodel.vfs")
@Designate(ocd = VfsComponent.Config.class)
public class VfsComponent extends VfsCore {
    private static final Logger LOG = Logger.getLogger("org.kmodel.vfs");

    @ObjectClassDefinition(name = "kmodel VFS", description = "Release profile and boot mounts of the VFS")
    public @interface Config {
        @AttributeDefinition(
                description = "Kernel release whose fallocate rules apply when no ReleaseProfile "
                        + "service runs (3.14, 3.15, 6.18)")
        String release() default "3.15";

        @AttributeDefinition(description = "Boot mounts: 'source target fstype [options]', in order")
        String[] boot_mounts() default {
            "tmpfs / tmpfs", "tmpfs /tmp tmpfs", "tmpfs /dev/shm tmpfs", "proc /proc proc", "sysfs /sys sysfs"
        };

        @AttributeDefinition(description = "The task has CAP_FSETID (data changes keep set-id bits)")
        boolean cap_fsetid() default false;
    }

    private volatile BootMounts boot;
    private volatile KernelRelease configured = KernelRelease.DEFAULT;

    public VfsComponent() {
        super(KernelRelease.DEFAULT);
    }

    @Activate
    void activate(Config config, Map<String, Object> props) {
        applySettings(config);
        boot = new BootMounts(this, bootLines(config, props), hooks);
        boot.progress();
        // the kernel's vm.dirty_writeback_centisecs = 500 and vm.dirty_expire_centisecs = 3000
        flusher = startFlusher(
                Flusher.centisecs(Flusher.WRITEBACK_PROPERTY, 500), Flusher.centisecs(Flusher.EXPIRE_PROPERTY, 3000));
    }

    private volatile AutoCloseable flusher;

    /**
     * The VFS goes away (framework shutdown, bundle stop, feature uninstall): every dirty page is written back and
     * every mount unmounted, children first (kernel_restart_prepare after ksys_sync, and umount -a). DS calls this
     * before it unbinds the dynamic FileSystemType references, so every type that still has mounts is still
     * bound; a type that left earlier had its mounts written back in {@link #unbindFileSystemType}, and its super
     * blocks are killed here.
     */
    @Deactivate
    void deactivate() {
        boot = null;
        AutoCloseable fl = flusher;
        flusher = null;
        if (fl != null) {
            try {
                fl.close();
            } catch (Exception e) {
                LOG.fine("VFS: flusher: " + e);
            }
        }
        List<String> failures = shutdown();
        for (String f : failures) {
            warn("VFS: shutdown: " + f);
        }
        LOG.fine("VFS: synced and unmounted all filesystems");
    }

    private void warn(String msg) {
        KernelLog log = kernelLog;
        if (log != null) {
            log.warn(msg);
        }
        LOG.warning(msg);
    }

    /**
     * The boot mount lines. DS maps the attribute {@code boot_mounts} to the property {@code boot.mounts}; a
     * configuration that spells the key {@code boot_mounts} literally (as feature files tend to) is honoured too.
     */
    static String[] bootLines(Config config, Map<String, Object> props) {
        Object raw = props.get("boot_mounts");
        if (raw instanceof String[] a) {
            return a;
        }
        if (raw instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toArray(String[]::new);
        }
        if (raw instanceof String str) {
            return new String[] {str};
        }
        return config.boot_mounts();
    }

    /**
     * A new configuration: release and capabilities apply at once. New boot mounts (a feature such as disks that
     * configures an ext4 root and arrives after the VFS started) replace the old ones if none of those is busy.
     */
    @Modified
    void modified(Config config, Map<String, Object> props) {
        applySettings(config);
        String[] lines = bootLines(config, props);
        BootMounts old = boot;
        if (old != null && !old.sameLines(lines) && old.unmountAll()) {
            boot = new BootMounts(this, lines, hooks);
            boot.progress();
        }
    }

    private void applySettings(Config config) {
        configured = KernelRelease.parse(config.release());
        ReleaseProfile p = profile;
        setRelease(p != null ? p.release() : configured);
        setCapFsetid(config.cap_fsetid());
    }

    private volatile ReleaseProfile profile;

    /** The booted release decides fallocate's rules; the configured release applies only without the service. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindReleaseProfile(ReleaseProfile p) {
        profile = p;
        setRelease(p.release());
    }

    void unbindReleaseProfile(ReleaseProfile p) {
        if (profile == p) {
            profile = null;
            setRelease(configured);
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindFileSystemType(FileSystemType type, Map<String, Object> props) {
        if (props.get("service.bundleid") instanceof Long owner) {
            owners.put(type, owner);
        }
        registerFilesystem(type, ranking(props), serviceId(props));
        BootMounts b = boot;
        if (b != null) {
            b.progress();
        }
    }

    /**
     * A filesystem type leaves. SCR unregisters a component's service, which calls this synchronously, before it
     * calls the component's deactivate method, so the mounts' dirty pages reach the filesystem while it is still
     * active and its deactivation (which commits its instances) sees them.
     */
    void unbindFileSystemType(FileSystemType type, Map<String, Object> props) {
        owners.remove(type);
        List<String> failures = new java.util.ArrayList<>();
        int written = writebackType(type, failures);
        for (String f : failures) {
            warn("VFS: " + type.name() + ": " + f);
        }
        unregisterFilesystem(type);
        if (written > 0) {
            // OSGi cannot refuse a bundle stop. The kernel would have refused rmmod (EBUSY); here the mounts keep
            // the super blocks the old implementation created until they are unmounted.
            String msg = "VFS: " + type.name() + " unregistered while mounted " + written
                    + " time(s); dirty pages written back; the mounts keep the old implementation until umount";
            KernelLog log = kernelLog;
            if (log != null) {
                log.warn(msg);
            } else {
                LOG.fine(msg);
            }
        }
    }

    /** dmesg, when the kernel core runs. */
    private volatile KernelLog kernelLog;
    /** Boot errors reported before dmesg existed; they go into it when it appears. */
    private final List<String> unlogged = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindKernelLog(KernelLog log) {
        kernelLog = log;
        for (String m : List.copyOf(unlogged)) {
            log.err(m);
            unlogged.remove(m);
        }
    }

    void unbindKernelLog(KernelLog log) {
        if (kernelLog == log) {
            kernelLog = null;
        }
    }

    /** The kernel command line: {@code fsck.mode=force} and {@code fsck.repair=preen|yes|no} (systemd-fsck's). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile BootParams bootParams;

    private final Map<String, Fsck> fscks = new java.util.concurrent.ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindFsck(Fsck f) {
        fscks.put(f.type(), f);
    }

    void unbindFsck(Fsck f) {
        fscks.remove(f.type(), f);
    }

    private final BootMounts.Hooks hooks = new BootMounts.Hooks() {
        @Override
        public void beforeMount(String source, String target, String type) {
            BootParams p = bootParams;
            Fsck fsck = fscks.get(type);
            if (p == null || fsck == null || !"force".equals(p.get("fsck.mode", "auto"))) {
                return;
            }
            bootFsck(fsck, source, target, !"no".equals(p.get("fsck.repair", "preen")));
        }

        @Override
        public void failed(String line, String source, String type) {
            boolean checkable = fscks.containsKey(type);
            reportBootError(line + (checkable ? " (check it with: fsck -n -t " + type + " " + source + ")" : ""));
        }
    };

    /** systemd-fsck before a boot mount: the result goes to dmesg; anything not clean also to the console. */
    private void bootFsck(Fsck fsck, String source, String target, boolean repair) {
        FsckResult r;
        try {
            r = fsck.check(java.nio.file.Path.of(source), repair);
        } catch (KernelException e) {
            if (e.errno() != org.kmodel.kernel.Errno.ENOENT) { // a first boot: nothing to check yet
                reportBootError("fsck: " + source + ": " + e.getMessage());
            }
            return;
        }
        KernelLog log = kernelLog;
        for (String problem : r.problems()) {
            if (log != null) {
                log.warn("fsck: " + source + ": " + problem);
            }
        }
        String summary = "fsck: " + source + " (" + target + "): "
                + (r.clean()
                        ? "clean"
                        : r.repaired()
                                ? r.problems().size() + " problem(s) repaired"
                                : r.problems().size() + " problem(s) left, not repaired");
        if (r.clean()) {
            if (log != null) {
                log.info(summary);
            }
        } else {
            reportBootError(summary);
        }
    }

    /** One line on the console (as printk at KERN_ERR reaches it) and in dmesg. */
    private void reportBootError(String line) {
        KernelLog log = kernelLog;
        if (log != null) {
            log.err(line);
        } else {
            unlogged.add(line);
        }
        CONSOLE.println("kmodel: " + line);
        LOG.fine(line);
    }

    private static final java.io.PrintStream CONSOLE = new java.io.PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.err), true, java.nio.charset.StandardCharsets.UTF_8);

    private final Map<FileSystemType, Long> owners = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The module loader, when one runs: a mount takes a reference on the module (the bundle) that registered the
     * filesystem type, so rmmod of a mounted filesystem module fails as in the kernel.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindModuleLoader(ModuleLoader loader) {
        moduleRefs = new ModuleRefs() {
            @Override
            public String get(FileSystemType type) {
                Long owner = owners.get(type);
                if (owner == null) {
                    return null;
                }
                for (var e : loader.modules()) {
                    KernelModule m = loader.find(e.name());
                    if (m != null && m.bundleId() == owner && loader.moduleGet(m.name(), "get_fs_type")) {
                        return m.name();
                    }
                }
                return null;
            }

            @Override
            public void put(String module) {
                loader.modulePut(module, "put_filesystem");
            }
        };
    }

    void unbindModuleLoader(ModuleLoader loader) {
        moduleRefs = ModuleRefs.NONE;
    }

    private volatile TracepointRegistry tracepoints;

    /**
     * The tracepoint registry, when the trace feature runs: vfs_fallocate's events are looked up here, once per
     * bind (greedy, so a replacement registry is picked up at once); without it they are simply off.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTracepointRegistry(TracepointRegistry registry) {
        tracepoints = registry;
        setTracepointRegistry(registry);
    }

    void unbindTracepointRegistry(TracepointRegistry registry) {
        if (tracepoints == registry) {
            tracepoints = null;
            setTracepointRegistry(null);
        }
    }

    /** Boot mount lines that failed, for diagnostics. */
    public List<String> bootErrors() {
        BootMounts b = boot;
        return b == null ? List.of() : b.errors();
    }

    private static int ranking(Map<String, Object> props) {
        Object r = props.get(Constants.SERVICE_RANKING);
        return r instanceof Integer i ? i : 0;
    }

    private static long serviceId(Map<String, Object> props) {
        Object id = props.get(Constants.SERVICE_ID);
        return id instanceof Long l ? l : 0L;
    }
}
