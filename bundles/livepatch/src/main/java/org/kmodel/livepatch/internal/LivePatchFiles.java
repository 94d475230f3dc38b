package org.kmodel.livepatch.internal;

import java.util.List;
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
    private LivePatchFiles() {
    }

    static void register(BundleContext ctx, KlpCore core, TaskTable tasks, KernelRelease release,
            List<ServiceRegistration<?>> out) {
        reg(ctx, out, "/proc/*/stack", pid -> stack(task(tasks, pid, "stack"), release), null);
        if (release.atLeast(4, 12)) {
            reg(ctx, out, "/proc/*/patch_state", pid -> task(tasks, pid, "patch_state").patchState() + "\n", null);
        }
        if (release.atLeast(4, 0)) {
            Sysfs sysfs = new Sysfs(ctx, core, release);
            core.changed = chain(core.changed, sysfs::sync);
            out.add(new Unregister(sysfs));
        } else {
            Sysfs sysfs = new Sysfs(ctx, core, release);
            core.changed = chain(core.changed, sysfs::sync);
            out.add(new Unregister(sysfs));
            reg(ctx, out, "/sys/kernel/kgraft/in_progress", x -> bit("kgraft".equals(core.engine()) && core.inTransition()), null);
            reg(ctx, out, "/proc/*/kgr_in_progress", pid -> {
                TaskImpl t = (TaskImpl) task(tasks, pid, "kgr_in_progress");
                return bit("kgraft".equals(core.engine()) && core.inTransition() && t.patchState != core.target);
            }, null);
        }
    }

    private static Runnable chain(Runnable a, Runnable b) {
        return () -> {
            a.run();
            b.run();
        };
    }

    /**
     * The per-patch directories (kobjects): /sys/kernel/livepatch/PATCH/{enabled,transition,force,replace}
     * and PATCH/OBJECT/patched (4.0+; force 4.12+, replace 5.1+, patched 6.x), or kpatch's
     * /sys/kernel/kpatch/patches/PATCH/enabled on 3.x. Created when a patch registers, removed when it is freed.
     */
    static final class Sysfs {
        private final BundleContext ctx;
        private final KlpCore core;
        private final KernelRelease release;
        private final java.util.Map<String, List<ServiceRegistration<?>>> dirs = new java.util.HashMap<>();

        Sysfs(BundleContext ctx, KlpCore core, KernelRelease release) {
            this.ctx = ctx;
            this.core = core;
            this.release = release;
        }

        synchronized void sync() {
            java.util.Set<String> live = new java.util.HashSet<>();
            for (PatchImpl p : core.patches) {
                live.add(p.name);
                if (!dirs.containsKey(p.name)) {
                    dirs.put(p.name, create(p));
                }
            }
            for (String gone : List.copyOf(dirs.keySet())) {
                if (!live.contains(gone)) {
                    dirs.remove(gone).forEach(Sysfs::unregister);
                }
            }
        }

        synchronized void close() {
            dirs.values().forEach(l -> l.forEach(Sysfs::unregister));
            dirs.clear();
        }

        private static void unregister(ServiceRegistration<?> r) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone
            }
        }

        private List<ServiceRegistration<?>> create(PatchImpl p) {
            List<ServiceRegistration<?>> out = new java.util.ArrayList<>();
            String n = p.name;
            if (!release.atLeast(4, 0)) {
                reg(ctx, out, "/sys/kernel/kpatch/patches/" + n + "/enabled", x -> bit(p.enabled),
                        (x, v) -> core.setEnabled(n, parseBool(v)));
                return out;
            }
            String dir = "/sys/kernel/livepatch/" + n + "/";
            reg(ctx, out, dir + "enabled", x -> bit(p.enabled), (x, v) -> core.setEnabled(n, parseBool(v)));
            reg(ctx, out, dir + "transition", x -> bit(p == core.transitionPatch), null);
            if (release.atLeast(4, 12)) {
                reg(ctx, out, dir + "force", x -> {
                    throw new KernelException(Errno.EPERM, dir + "force");
                }, (x, v) -> {
                    if (!parseBool(v)) {
                        throw new KernelException(Errno.EINVAL, "force: " + v.trim());
                    }
                    core.force(n);
                });
            }
            if (release.atLeast(5, 1)) {
                reg(ctx, out, dir + "replace", x -> bit(p.replace), null);
            }
            for (PatchImpl.Obj o : p.objects) {
                reg(ctx, out, dir + o.name + "/patched", x -> bit(o.patched), null);
            }
            return out;
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
        public void setProperties(java.util.Dictionary<String, ?> properties) {
        }

        @Override
        public void unregister() {
            sysfs.close();
        }
    }

    interface Writer {
        void write(String wildcard, String value);
    }

    private static void reg(BundleContext ctx, List<ServiceRegistration<?>> out, String path,
            Function<String, String> read, Writer write) {
        ProcFile f = new ProcFile() {
            @Override
            public String read(String wildcard) {
                return read.apply(wildcard);
            }

            @Override
            public void write(String wildcard, String content) {
                if (write == null) {
                    ProcFile.super.write(wildcard, content);
                } else {
                    write.write(wildcard, content);
                }
            }

            @Override
            public boolean writable() {
                return write != null;
            }
        };
        if (ctx != null) {
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
            sb.append(addr).append(release.atLeast(4, 0) ? "entry_SYSCALL_64_after_hwframe+0x0/0x0\n" : "system_call_fastpath+0x0/0x0\n");
        } else if (t.kind() == KTask.Kind.KTHREAD) {
            sb.append(addr).append("kthread+0x0/0x0\n").append(addr).append("ret_from_fork+0x0/0x0\n");
        } else if (t.kind() == KTask.Kind.IDLE) {
            sb.append(addr).append("do_idle+0x0/0x0\n");
        }
        return sb.toString();
    }
}
