package org.kmodel.livepatch.internal.shell;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFs;
import org.kmodel.livepatch.KTask;
import org.kmodel.livepatch.KernelTasks;
import org.kmodel.livepatch.LivePatching;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleFiles;
import org.kmodel.module.ModuleLoader;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The live patching commands: the 2014 {@code kpatch} utility (kpatch/kpatch: load, unload, list, info),
 * {@code klp} to see or swap the consistency model, and {@code ktask} to run, park and wake model tasks.
 * The upstream interface needs no command of its own: {@code insmod}, {@code cat} and {@code write} on
 * /sys/kernel/livepatch.
 */
@Component(
        service = LivePatchCommands.class,
        property = {
            "osgi.command.scope=livepatch",
            "osgi.command.function=kpatch",
            "osgi.command.function=klp",
            "osgi.command.function=ktask"
        })
public class LivePatchCommands {
    private final LivePatching klp;
    private final KernelTasks tasks;
    private final ModuleLoader loader;

    private final ProcFs proc;

    @Activate
    public LivePatchCommands(
            @Reference LivePatching klp,
            @Reference KernelTasks tasks,
            @Reference ModuleLoader loader,
            @Reference ProcFs proc) {
        this.klp = klp;
        this.tasks = tasks;
        this.loader = loader;
        this.proc = proc;
    }

    // ---- kpatch -----------------------------------------------------------------------------------------

    @Descriptor("kpatch load FILE.ko | unload NAME | list | info NAME: manage kpatch patch modules")
    public String kpatch(
            CommandSession session,
            @Descriptor(
                            "load FILE | unload NAME | list | info NAME; FILE is a model path, e.g. /lib/modules/3.15.0-kmodel/kernel/drivers/kmodel/livepatch_sample.ko")
                    String... args) {
        List<String> a = Arrays.asList(args == null ? new String[0] : args);
        String cmd = a.isEmpty() ? "" : a.get(0);
        switch (cmd) {
            case "load" -> {
                String file = arg(a, "load: missing patch module");
                try {
                    Path path = ModuleFiles.resolve(session == null ? null : session.currentDir(), file);
                    KernelModule m = loader.insmod(path, false, List.of());
                    return "loading patch module: " + file + "\n" + "patch module " + m.name() + " loaded ("
                            + klp.engine() + pause(m.name()) + ")";
                } catch (KernelException e) {
                    throw new KernelException(e.errno(), "failed to load patch module " + file, e);
                }
            }
            case "unload" -> {
                String given = arg(a, "unload: missing patch module");
                String name = (given.endsWith(".ko")
                                ? Paths.get(given).getFileName().toString().replace(".ko", "")
                                : given)
                        .replace('-', '_');
                StringBuilder out = new StringBuilder();
                if (klp.patches().stream().anyMatch(p -> p.name().equals(name) && p.enabled())) {
                    out.append("disabling patch module: ").append(name).append('\n');
                    try {
                        klp.setEnabled(name, false);
                    } catch (KernelException e) {
                        throw new KernelException(e.errno(), "failed to disable patch module " + name, e);
                    }
                    awaitFreed(name);
                }
                out.append("unloading patch module: ").append(name);
                try {
                    loader.rmmod(name, false);
                } catch (KernelException e) {
                    throw new KernelException(e.errno(), "failed to unload patch module " + name, e);
                }
                return out.toString();
            }
            case "list" -> {
                StringBuilder out = new StringBuilder("Loaded patch modules:\n");
                klp.patches().forEach(p -> out.append(p.name())
                        .append(p.enabled() ? "" : " (disabled)")
                        .append(p.transition() ? " (in transition)" : "")
                        .append('\n'));
                out.append("\nInstalled patch modules:");
                return out.toString();
            }
            case "info" -> {
                String name = arg(a, "info: missing patch module");
                ModInfo mi;
                try {
                    mi = loader.modinfo(name);
                } catch (KernelException e) {
                    throw new KernelException(e.errno(), "patch module " + name + " not found", e);
                }
                StringBuilder out = new StringBuilder();
                mi.fields()
                        .forEach(f -> out.append(String.format(Locale.ROOT, "%-15s %s%n", f.key() + ":", f.value())));
                klp.patches().stream()
                        .filter(p -> p.name().equals(name))
                        .forEach(p -> out.append(String.format(
                                Locale.ROOT,
                                "%-15s %s%n%-15s %s%n",
                                "enabled:",
                                p.enabled() ? 1 : 0,
                                "engine:",
                                klp.engine())));
                String pz = pause(name);
                if (!pz.isEmpty()) {
                    out.append(String.format(Locale.ROOT, "%-15s %s%n", "stop_machine:", pz.substring(2)));
                }
                return out.toString().stripTrailing();
            }
            default ->
                throw new KernelException(Errno.EINVAL, "usage: kpatch load FILE | unload NAME | list | info NAME");
        }
    }

    private String pause(String name) {
        if (!(klp instanceof PauseSource ps)) {
            return "";
        }
        long ns = ps.pauseNanos(name);
        return ns <= 0 ? "" : ", " + String.format(Locale.ROOT, "stop_machine pause %.3f ms", ns / 1e6);
    }

    /** The live patching component tells how long kpatch stopped the machine for a patch. */
    public interface PauseSource {
        long pauseNanos(String patch);
    }

    private void awaitFreed(String name) {
        long until = System.currentTimeMillis() + 30_000;
        while (klp.patches().stream().anyMatch(p -> p.name().equals(name)) && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (klp.patches().stream().anyMatch(p -> p.name().equals(name))) {
            throw new KernelException(Errno.EBUSY, "patch module " + name + " is still in transition");
        }
    }

    private static String arg(List<String> a, String missing) {
        if (a.size() < 2) {
            throw new KernelException(Errno.EINVAL, missing);
        }
        return a.get(1);
    }

    // ---- klp ---------------------------------------------------------------------------------------------

    @Descriptor(
            "klp [engine [livepatch|kpatch|kgraft]]: the patches and the consistency model; swapping needs no patch loaded")
    public String klp(@Descriptor("[engine [NAME]]") String... args) {
        List<String> a = Arrays.asList(args == null ? new String[0] : args);
        if (!a.isEmpty() && a.get(0).equals("engine")) {
            if (a.size() > 1) {
                klp.selectEngine(a.get(1));
            }
            return klp.engine();
        }
        if (!a.isEmpty()) {
            throw new KernelException(Errno.EINVAL, "usage: klp [engine [livepatch|kpatch|kgraft]]");
        }
        StringBuilder out = new StringBuilder("engine: " + klp.engine() + "\n");
        for (LivePatching.PatchInfo p : klp.patches()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%s enabled=%d transition=%d replace=%d forced=%d objects=%s%n",
                    p.name(),
                    p.enabled() ? 1 : 0,
                    p.transition() ? 1 : 0,
                    p.replace() ? 1 : 0,
                    p.forced() ? 1 : 0,
                    String.join(",", p.objects())));
        }
        return out.toString().stripTrailing();
    }

    // ---- ktask ---------------------------------------------------------------------------------------------

    @Descriptor("ktask [list] | spawn COMM | kthread COMM | park PID FUNCTION [-i] | wake PID | kill PID: model tasks;"
            + " a spawned task reads /proc/cmdline (cmdline_proc_show) every 10 ms, a kthread calls it every 10 ms")
    public String ktask(
            @Descriptor("list | spawn COMM | kthread COMM | park PID FUNC [-i] | wake PID | kill PID") String... args) {
        List<String> a = new ArrayList<>(Arrays.asList(args == null ? new String[0] : args));
        String cmd = a.isEmpty() ? "list" : a.get(0);
        switch (cmd) {
            case "list" -> {
                StringBuilder out = new StringBuilder(
                        String.format(Locale.ROOT, "%5s %-8s %-16s %5s %s%n", "PID", "KIND", "COMM", "PATCH", "STACK"));
                for (KTask t : tasks.tasks()) {
                    out.append(String.format(
                            Locale.ROOT,
                            "%5d %-8s %-16s %5d %s%n",
                            t.pid(),
                            t.kind().name().toLowerCase(Locale.ROOT),
                            t.comm(),
                            t.patchState(),
                            (t.parked() ? "[parked] " : "") + String.join(" <- ", t.stack())));
                }
                return out.toString().stripTrailing();
            }
            case "spawn" -> {
                String comm = arg(a, "spawn: missing COMM");
                KTask t = tasks.spawn(comm, me -> {
                    while (!me.stopping()) {
                        me.syscall("read", this::readCmdline);
                        sleepUser(10);
                    }
                });
                return String.valueOf(t.pid());
            }
            case "kthread" -> {
                String comm = arg(a, "kthread: missing COMM");
                KTask[] self = new KTask[1];
                self[0] = tasks.kthread(comm, () -> {
                    readCmdline();
                    KTask me = tasks.current();
                    if (me != null) {
                        me.sleep(10);
                    }
                });
                return String.valueOf(self[0].pid());
            }
            case "park" -> {
                KTask t = task(a);
                if (a.size() < 3) {
                    throw new KernelException(Errno.EINVAL, "park: missing FUNCTION");
                }
                t.parkIn(a.get(2), a.contains("-i"));
                try {
                    if (!t.awaitParked(5_000)) {
                        return "ktask: " + t.pid() + " armed to park in " + a.get(2) + " (not there yet)";
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "ktask: " + t.pid() + " parked in " + a.get(2);
            }
            case "wake" -> {
                task(a).wake();
                return null;
            }
            case "kill" -> {
                task(a).stop();
                return null;
            }
            default -> throw new KernelException(Errno.EINVAL, "unknown command " + cmd);
        }
    }

    private KTask task(List<String> a) {
        String pid = arg(a, "missing PID");
        try {
            KTask t = tasks.task(Integer.parseInt(pid));
            if (t != null) {
                return t;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new KernelException(Errno.ESRCH, "" + pid);
    }

    private String readCmdline() {
        return proc.read("/proc/cmdline");
    }

    private static void sleepUser(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
