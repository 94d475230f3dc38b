package org.kmodel.shell.internal.module;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleEntry;
import org.kmodel.module.ModuleLoader;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * kmod's tools (tools/insmod.c, rmmod.c, lsmod.c, modinfo.c, modprobe.c) over the module loader.
 * Errors read like kmod's ({@code insmod: ERROR: could not insert module X: File exists}); the
 * syscall's strerror text stands where kmod would print its own wording.
 */
@Component(service = ModuleCommands.class, property = {"osgi.command.scope=module", "osgi.command.function=insmod",
    "osgi.command.function=rmmod", "osgi.command.function=lsmod", "osgi.command.function=modinfo",
    "osgi.command.function=modprobe"})
public class ModuleCommands {
    private final ModuleLoader loader;

    @Activate
    public ModuleCommands(@Reference ModuleLoader loader) {
        this.loader = loader;
    }

    @Descriptor("insert a module: insmod [-f] FILE [param=value...]; -f ignores the version magic (taints F)")
    public String insmod(CommandSession session, @Descriptor("[-f] FILE [param=value...]; FILE is a model path, e.g. /lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko") String... args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args == null ? new String[0] : args));
        boolean force = rest.remove("-f") | rest.remove("--force");
        if (rest.isEmpty() || rest.get(0).startsWith("-")) {
            throw new KernelException(Errno.EINVAL, "ERROR: missing filename.");
        }
        String file = rest.remove(0);
        try {
            loader.insmod(path(session, file), force, rest);
        } catch (KernelException e) {
            throw new KernelException(e.errno(), "ERROR: could not insert module " + file, e);
        }
        return null;
    }

    @Descriptor("remove a module: rmmod [-f] NAME; -f forces the removal of a module in use (taints R)")
    public String rmmod(@Descriptor("[-f] NAME...") String... args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args == null ? new String[0] : args));
        boolean force = rest.remove("-f") | rest.remove("--force");
        if (rest.isEmpty()) {
            throw new KernelException(Errno.EINVAL, "ERROR: missing module name.");
        }
        for (String arg : rest) {
            String name = moduleName(arg);
            KernelModule m = loader.find(name);
            if (m == null) {
                throw new KernelException(Errno.ENOENT, "ERROR: Module " + name + " is not currently loaded");
            }
            if (!force) {
                ModuleEntry e = entry(name);
                if (e != null && !e.holders().isEmpty()) {
                    throw new KernelException(Errno.EAGAIN, "ERROR: Module " + name + " is in use by: "
                            + String.join(" ", e.holders()));
                }
                if (e != null && e.refcount() > 0) {
                    throw new KernelException(Errno.EAGAIN, "ERROR: Module " + name + " is in use");
                }
            }
            try {
                loader.rmmod(name, force);
            } catch (KernelException ex) {
                throw new KernelException(ex.errno(), "ERROR: could not remove module " + name, ex);
            }
        }
        return null;
    }

    @Descriptor("show the loaded modules (kmod lsmod format); -t also shows each module's taint letters; --json the data")
    public String lsmod(@Descriptor("[-t] [--json]") String... args) {
        List<String> a = args == null ? List.of() : Arrays.asList(args);
        for (String s : a) {
            if (!s.equals("-t") && !s.equals("--json")) {
                throw new KernelException(Errno.EINVAL, s.equals("--help") || s.equals("-h")
                        ? "usage: lsmod [-t] [--json]" : "unrecognized option '" + s + "' (usage: lsmod [-t] [--json])");
            }
        }
        if (a.contains("--json")) {
            return org.kmodel.shell.internal.Json.of(loader.modules());
        }
        boolean taints = a.contains("-t");
        return ModuleFormat.lsmod(loader.modules(), taints);
    }

    /** The loaded modules as data. */
    public List<ModuleEntry> modules() {
        return loader.modules();
    }

    @Descriptor("show information about a module: modinfo NAME|FILE (signer, sig_key, sig_hashalgo if signed)")
    public String modinfo(CommandSession session, @Descriptor("NAME or FILE (a model path)") String arg) {
        return ModuleFormat.modinfo(modinfoData(session, arg));
    }

    ModInfo modinfoData(CommandSession session, String arg) {
        Path p = path(session, arg);
        if ((arg.contains("/") || arg.endsWith(".ko") || arg.endsWith(".jar")) && Files.isRegularFile(p)) {
            try {
                return loader.modinfo(Files.readAllBytes(p), p.toString());
            } catch (java.io.IOException e) {
                throw new KernelException(Errno.EIO, "ERROR: could not read " + arg, e);
            }
        }
        try {
            return loader.modinfo(arg);
        } catch (KernelException e) {
            throw new KernelException(e.errno(), "ERROR: Module " + arg + " not found.", e);
        }
    }

    @Descriptor("load a module and its dependencies from the module directory: modprobe NAME [param=value...]")
    public String modprobe(@Descriptor("NAME [param=value...]") String... args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args == null ? new String[0] : args));
        if (rest.isEmpty()) {
            throw new KernelException(Errno.EINVAL, "ERROR: missing module name.");
        }
        String name = moduleName(rest.remove(0));
        try {
            loader.modprobe(name, rest);
        } catch (KernelException e) {
            if (e.errno() == Errno.ENOENT && e.what() != null && e.what().contains("not found in directory")) {
                throw new KernelException(Errno.ENOENT, "FATAL: " + e.what(), e);
            }
            throw new KernelException(e.errno(), "ERROR: could not insert '" + name + "'", e);
        }
        return null;
    }

    private ModuleEntry entry(String name) {
        return loader.modules().stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }

    /** kmod's modname_normalize: strip the directory and {@code .ko}, '-' becomes '_'. */
    static String moduleName(String arg) {
        String n = arg.substring(arg.lastIndexOf('/') + 1);
        if (n.endsWith(".ko")) {
            n = n.substring(0, n.length() - 3);
        }
        return n.replace('-', '_');
    }

    /**
     * A module file named on the command line: a path of the model (kmodel's file system is the session's
     * directory), so {@code insmod /lib/modules/...} reads the model's file. Transitional: an absolute path the
     * model does not have but the host does is read from the host, as the integration tests load the modules
     * they build that way; a script should use {@code /lib/modules} or a hostfs mount.
     */
    static Path path(CommandSession session, String file) {
        Path cwd = session == null ? null : session.currentDir();
        if (cwd != null && cwd.getFileSystem() != FileSystems.getDefault()) {
            Path model = cwd.resolve(file);
            if (Files.exists(model) || !file.startsWith("/") || !Files.exists(Paths.get(file))) {
                return model;
            }
        }
        return Paths.get(file);
    }
}
