package org.kmodel.livepatch.internal;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ProcFile;
import org.kmodel.livepatch.KTask;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The files of live patching: /proc/PID/stack (fs/proc/base.c proc_pid_stack), /proc/PID/patch_state (4.12+),
 * /sys/kernel/livepatch/PATCH/{enabled,transition,force,replace} (kernel/livepatch/core.c, 4.0+; force
 * 4.12+, replace 5.1+), kpatch's /sys/kernel/kpatch/patches/PATCH/enabled and kGraft's
 * /sys/kernel/kgraft/in_progress and /proc/PID/kgr_in_progress (3.x profiles).
 */
final class LivePatchFiles {
    private LivePatchFiles() {}

    static void register(
            BundleContext ctx, KlpCore core, TaskTable tasks, KernelRelease release, List<ServiceRegistration<?>> out) {
        reg(ctx, out, "/proc/*/stack", pid -> stack(task(tasks, pid, "stack"), release), null);
        if (release.atLeast(4, 12)) {
            reg(
                    ctx,
                    out,
                    "/proc/*/patch_state",
                    pid -> task(tasks, pid, "patch_state").patchState() + "\n",
                    null);
        }
        if (release.atLeast(4, 0)) {
            // klp_init (kernel/livepatch/core.c) creates /sys/kernel/livepatch at boot, empty until a patch registers.
            emptyDir(ctx, out, "/sys/kernel/livepatch/*");
            Sysfs sysfs = new Sysfs(ctx, core, release);
            core.changed = chain(core.changed, sysfs::sync);
            out.add(new Unregister(sysfs));
        } else {
            Sysfs sysfs = new Sysfs(ctx, core, release);
            core.changed = chain(core.changed, sysfs::sync);
            out.add(new Unregister(sysfs));
            reg(
                    ctx,
                    out,
                    "/sys/kernel/kgraft/in_progress",
                    x -> bit("kgraft".equals(core.engine()) && core.inTransition()),
                    null);
            reg(
                    ctx,
                    out,
                    "/proc/*/kgr_in_progress",
                    pid -> {
                        TaskImpl t = (TaskImpl) task(tasks, pid, "kgr_in_progress");
                        return bit(
                                "kgraft".equals(core.engine()) && core.inTransition() && t.patchState != core.target);
                    },
                    null);
        }
    }

    private static Runnable chain(Runnable a, Runnable b) {
        return () -> {
            a.run();
            b.run();
        };
    }

    /**
     * The per-patch directories (kobjects, kernel/livepatch/core.c): /sys/kernel/livepatch/PATCH/{enabled,
     * transition,force,replace} (klp_init_patch; force 4.12+, replace 5.1+), PATCH/OBJECT/patched
     * (klp_init_object, the object's attribute of 6.x) and an empty directory PATCH/OBJECT/FUNC,SYMPOS per
     * func (klp_init_func names it "%s,%lu" with sympos 0 shown as 1; a func kobject has no attributes).
     * Nop funcs of an atomic replace have their directories until klp_discard_nops frees them, and so do
     * the dynamic objects that hold only nops. On 3.x: kpatch's /sys/kernel/kpatch/patches/PATCH/enabled.
     * {@link #sync} follows the core after every change, under its mutex: new files are registered, files
     * of freed patches and discarded nops unregistered.
     */
    static final class Sysfs {
        private record Entry(Object owner, ServiceRegistration<?> reg) {}

        private final BundleContext ctx;
        private final KlpCore core;
        private final KernelRelease release;
        private final java.util.Map<String, Entry> files = new java.util.HashMap<>();

        Sysfs(BundleContext ctx, KlpCore core, KernelRelease release) {
            this.ctx = ctx;
            this.core = core;
            this.release = release;
        }

        synchronized void sync() {
            java.util.Map<String, Object> want = new java.util.HashMap<>();
            for (PatchImpl p : core.patches) {
                for (String path : paths(p)) {
                    want.put(path, p);
                }
            }
            for (java.util.Iterator<java.util.Map.Entry<String, Entry>> it =
                            files.entrySet().iterator();
                    it.hasNext(); ) {
                java.util.Map.Entry<String, Entry> e = it.next();
                if (want.get(e.getKey()) != e.getValue().owner()) {
                    unregister(e.getValue().reg());
                    it.remove();
                }
            }
            for (PatchImpl p : core.patches) {
                List<ServiceRegistration<?>> out = new java.util.ArrayList<>();
                create(p, path -> !files.containsKey(path), out);
                for (ServiceRegistration<?> r : out) {
                    files.put((String) r.getReference().getProperty(ProcFile.PATH), new Entry(p, r));
                }
            }
        }

        synchronized void close() {
            files.values().forEach(e -> unregister(e.reg()));
            files.clear();
        }

        private static void unregister(ServiceRegistration<?> r) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone
            }
        }

        /** The paths {@link #create} registers for {@code p} now. */
        List<String> paths(PatchImpl p) {
            List<String> out = new java.util.ArrayList<>();
            create(
                    p,
                    path -> {
                        out.add(path);
                        return false;
                    },
                    null);
            return out;
        }

        /** The objects shown: klp_free_objects_dynamic frees a dynamic object once its nops are discarded. */
        private static List<PatchImpl.Obj> objects(PatchImpl p) {
            return p.objects.stream()
                    .filter(o -> !o.dynamic || !o.funcs.isEmpty())
                    .toList();
        }

        /** Registers every file of {@code p} whose path {@code wanted} accepts. */
        private void create(
                PatchImpl p, java.util.function.Predicate<String> wanted, List<ServiceRegistration<?>> out) {
            String n = p.name;
            if (!release.atLeast(4, 0)) {
                String path = "/sys/kernel/kpatch/patches/" + n + "/enabled";
                if (wanted.test(path)) {
                    reg(ctx, out, path, x -> bit(p.enabled), (x, v) -> core.setEnabled(n, parseBool(v)));
                }
                return;
            }
            String dir = "/sys/kernel/livepatch/" + n + "/";
            if (wanted.test(dir + "enabled")) {
                reg(ctx, out, dir + "enabled", x -> bit(p.enabled), (x, v) -> core.setEnabled(n, parseBool(v)));
            }
            if (wanted.test(dir + "transition")) {
                reg(ctx, out, dir + "transition", x -> bit(p == core.transitionPatch), null);
            }
            if (release.atLeast(4, 12) && wanted.test(dir + "force")) {
                reg(
                        ctx,
                        out,
                        dir + "force",
                        x -> {
                            throw new KernelException(Errno.EPERM, dir + "force");
                        },
                        (x, v) -> {
                            if (!parseBool(v)) {
                                throw new KernelException(Errno.EINVAL, "force: " + v.trim());
                            }
                            core.force(n);
                        });
            }
            if (release.atLeast(5, 1) && wanted.test(dir + "replace")) {
                reg(ctx, out, dir + "replace", x -> bit(p.replace), null);
            }
            for (PatchImpl.Obj o : objects(p)) {
                String od = dir + o.name + "/";
                if (wanted.test(od + "patched")) {
                    reg(ctx, out, od + "patched", x -> bit(o.patched), null);
                }
                for (PatchImpl.Func f : o.funcs) {
                    // The model has no duplicate symbol names, so old_sympos is always 0: shown as 1.
                    String fd = od + f.name + ",1/*";
                    if (wanted.test(fd)) {
                        emptyDir(ctx, out, fd);
                    }
                }
            }
        }
    }

    /**
     * An empty sysfs directory: the whiteboard knows directories only as the parents of registered paths, so
     * the directory is the parent of a pattern that lists no instances and whose every lookup fails ENOENT.
     */
    static void emptyDir(BundleContext ctx, List<ServiceRegistration<?>> out, String pattern) {
        ProcFile f = new ProcFile() {
            @Override
            public String read(String wildcard) {
                throw new KernelException(Errno.ENOENT, pattern.replace("*", wildcard));
            }
        };
        if (ctx != null && out != null) {
            out.add(ctx.registerService(ProcFile.class, f, LivePatchComponent.path(pattern)));
        }
    }

    /** A registration-like handle that closes the sysfs directories. */
    private static final class Unregister implements ServiceRegistration<Object> {
        private final Sysfs sysfs;

        Unregister(Sysfs sysfs) {
            this.sysfs = sysfs;
        }

        @Override
        public org.osgi.framework.ServiceReference<Object> getReference() {
            return null;
        }

        @Override
        public void setProperties(java.util.Dictionary<String, ?> properties) {}

        @Override
        public void unregister() {
            sysfs.close();
        }
    }

    private static void reg(
            BundleContext ctx,
            List<ServiceRegistration<?>> out,
            String path,
            Function<String, String> read,
            BiConsumer<String, String> write) {
        ProcFile f = ProcFile.of(read, write);
        if (ctx != null && out != null) {
            out.add(ctx.registerService(ProcFile.class, f, LivePatchComponent.path(path)));
        }
    }

    static String bit(boolean b) {
        return b ? "1\n" : "0\n";
    }

    /** kstrtobool: 1/0, y/n, on/off. */
    static boolean parseBool(String v) {
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "1", "y", "yes", "on" -> {
                return true;
            }
            case "0", "n", "no", "off" -> {
                return false;
            }
            default -> throw new KernelException(Errno.EINVAL, "not a boolean: " + s);
        }
    }

    static KTask task(TaskTable tasks, String pid, String file) {
        try {
            KTask t = tasks.task(Integer.parseInt(pid));
            if (t != null) {
                return t;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new KernelException(Errno.ENOENT, "/proc/" + pid + "/" + file);
    }

    /**
     * proc_pid_stack: one line per frame, innermost first; since 4.x the address is printed as 0 to
     * non-root-visible-safe {@code [<0>]}, 3.x printed the address. Offsets are not modelled (+0x0/0x0).
     */
    static String stack(KTask t, KernelRelease release) {
        StringBuilder sb = new StringBuilder();
        String addr = release.atLeast(4, 0) ? "[<0>] " : "[<ffffffff81000000>] ";
        TaskImpl ti = (TaskImpl) t;
        if (ti.blocked || ti.parked()) {
            sb.append(addr).append("schedule+0x0/0x0\n");
        }
        for (String f : t.stack()) {
            sb.append(addr).append(f.replace(" [", "+0x0/0x0 [")).append(f.contains(" [") ? "\n" : "+0x0/0x0\n");
        }
        if (t.kind() == KTask.Kind.USER && t.inKernel()) {
            sb.append(addr)
                    .append(
                            release.atLeast(4, 0)
                                    ? "entry_SYSCALL_64_after_hwframe+0x0/0x0\n"
                                    : "system_call_fastpath+0x0/0x0\n");
        } else if (t.kind() == KTask.Kind.KTHREAD) {
            sb.append(addr).append("kthread+0x0/0x0\n").append(addr).append("ret_from_fork+0x0/0x0\n");
        } else if (t.kind() == KTask.Kind.IDLE) {
            sb.append(addr).append("do_idle+0x0/0x0\n");
        }
        return sb.toString();
    }
}
