package org.kmodel.module.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFile;
import org.kmodel.module.ModuleEntry;
import org.kmodel.module.ModuleState;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The loader's files: {@code /proc/modules} (kernel/module/procfs.c {@code m_show}),
 * {@code /sys/module/<m>/{taint,refcnt,initstate}} (kernel/module/sysfs.c), the one-way switches
 * {@code /sys/module/module/parameters/sig_enforce} and {@code /proc/sys/kernel/modules_disabled}.
 */
final class ModuleProcFiles {
    private final ModuleLoaderCore core;
    private final List<ServiceRegistration<?>> regs = new ArrayList<>();

    ModuleProcFiles(ModuleLoaderCore core) {
        this.core = core;
    }

    /** One /proc/modules line: name size refcnt deps state address [(flags)]. */
    static String procModulesLine(ModuleEntry e, int index, boolean modern) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.name())
                .append(' ')
                .append(e.size())
                .append(' ')
                .append(e.refcount())
                .append(' ');
        if (e.holders().isEmpty()) {
            sb.append('-');
        } else {
            e.holders().forEach(h -> sb.append(h).append(','));
        }
        sb.append(' ').append(stateName(e.state()));
        long base = modern ? 0xffffffffc0000000L : 0xffffffffa0000000L;
        sb.append(String.format(Locale.ROOT, " 0x%016x", base + 0x8000L * (index + 1)));
        if (!e.flags().isEmpty()) {
            sb.append(" (").append(e.flags()).append(')');
        }
        return sb.append('\n').toString();
    }

    static String stateName(ModuleState s) {
        switch (s) {
            case COMING:
                return "Loading";
            case GOING:
                return "Unloading";
            default:
                return "Live";
        }
    }

    String procModules() {
        List<ModuleEntry> list = core.entries();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < list.size(); i++) {
            sb.append(procModulesLine(
                    list.get(i), list.size() - 1 - i, core.release().atLeast(4, 0)));
        }
        return sb.toString();
    }

    void register(BundleContext ctx) {
        reg(ctx, "/proc/modules", new ProcFile() {
            @Override
            public String read(String wildcard) {
                return procModules();
            }
        });
        reg(ctx, "/sys/module/*/taint", sysModule(e -> e.flags()
                .replace("+", "")
                .replace("-", "")));
        reg(ctx, "/sys/module/*/refcnt", sysModule(e -> Integer.toString(e.refcount())));
        reg(ctx, "/sys/module/*/initstate", sysModule(e -> e.state().name().toLowerCase(Locale.ROOT)));
        reg(ctx, "/sys/module/module/parameters/sig_enforce", new OneWaySwitch() {
            @Override
            boolean get() {
                return core.settings.sigEnforce;
            }

            @Override
            void set() {
                core.settings.sigEnforce = true;
            }

            @Override
            String render(boolean v) {
                return v ? "Y" : "N";
            }
        });
        reg(ctx, "/proc/sys/kernel/modules_disabled", new OneWaySwitch() {
            @Override
            boolean get() {
                return core.settings.modulesDisabled;
            }

            @Override
            void set() {
                core.settings.modulesDisabled = true;
            }

            @Override
            String render(boolean v) {
                return v ? "1" : "0";
            }
        });
    }

    /**
     * {@code /sys/module/<m>/parameters/<p>} (kernel/params.c {@code module_param_sysfs_setup}): created
     * for each declared parameter when the module is COMING, removed when it is GOING. Shows the value
     * given at load time, else the type's zero value as the kernel prints it.
     */
    org.kmodel.module.ModuleNotifier parameterFiles(BundleContext ctx) {
        java.util.Map<String, List<ServiceRegistration<?>>> byModule = new java.util.concurrent.ConcurrentHashMap<>();
        return (module, state) -> {
            if (!(module instanceof LoadedModule m)) {
                return;
            }
            if (state == ModuleState.COMING) {
                List<ServiceRegistration<?>> list = new ArrayList<>();
                for (ModuleFile.Parm p : m.file().parameters()) {
                    String value = m.parameters().getOrDefault(p.name(), zero(p.type()));
                    Dictionary<String, Object> props = new Hashtable<>();
                    props.put(ProcFile.PATH, "/sys/module/" + m.name() + "/parameters/" + p.name());
                    list.add(ctx.registerService(ProcFile.class, w -> value + "\n", props));
                }
                byModule.put(m.name(), list);
            } else if (state == ModuleState.GOING) {
                List<ServiceRegistration<?>> list = byModule.remove(m.name());
                if (list != null) {
                    list.forEach(ModuleProcFiles::unregisterQuietly);
                }
            }
        };
    }

    private static String zero(String type) {
        switch (type) {
            case "bool":
                return "N";
            case "charp":
                return "(null)";
            default:
                return "0";
        }
    }

    private static void unregisterQuietly(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // gone with the bundle
        }
    }

    private ProcFile sysModule(java.util.function.Function<ModuleEntry, String> f) {
        return new ProcFile() {
            @Override
            public String read(String name) {
                for (ModuleEntry e : core.entries()) {
                    if (e.name().equals(name)) {
                        return f.apply(e) + "\n";
                    }
                }
                throw new KernelException(Errno.ENOENT, "/sys/module/" + name);
            }

            /** Every loaded module has its directory (mod_sysfs_setup), so `ls /sys/module` lists it. */
            @Override
            public java.util.List<String> instances() {
                return core.entries().stream().map(ModuleEntry::name).toList();
            }
        };
    }

    /** A switch that can be turned on and never off again (writing 0 after 1 is EINVAL/EPERM). */
    private abstract static class OneWaySwitch implements ProcFile {
        abstract boolean get();

        abstract void set();

        abstract String render(boolean v);

        @Override
        public String read(String wildcard) {
            return render(get()) + "\n";
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void write(String wildcard, String content) {
            String v = content.trim();
            boolean on = v.equals("1") || v.equalsIgnoreCase("y");
            boolean off = v.equals("0") || v.equalsIgnoreCase("n");
            if (!on && !off) {
                throw new KernelException(Errno.EINVAL, "write");
            }
            if (on) {
                set();
            } else if (get()) {
                throw new KernelException(Errno.EINVAL, "write");
            }
        }
    }

    private void reg(BundleContext ctx, String path, ProcFile f) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(ProcFile.PATH, path);
        regs.add(ctx.registerService(ProcFile.class, f, p));
    }

    void unregister() {
        for (ServiceRegistration<?> r : regs) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        regs.clear();
    }
}
