package org.kmodel.shell.internal.module;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    public String insmod(@Descriptor("[-f] FILE [param=value...]") String... args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args == null ? new String[0] : args));
        boolean force = rest.remove("-f") | rest.remove("--force");
        if (rest.isEmpty() || rest.get(0).startsWith("-")) {
            throw new KernelException(Errno.EINVAL, "ERROR: missing filename.");
        }
        String file = rest.remove(0);
        try {
            loader.insmod(path(file), force, rest);
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

    @Descriptor("show the loaded modules (kmod lsmod format); -t also shows each module's taint letters")
    public String lsmod(@Descriptor("[-t]") String... args) {
        boolean taints = args != null && Arrays.asList(args).contains("-t");
        if (args != null && args.length > (taints ? 1 : 0)) {
            // kmod's lsmod takes no argument: "Usage: lsmod", status 1
            throw new KernelException(Errno.EINVAL, "Usage: lsmod");
        }
        return ModuleFormat.lsmod(loader.modules(), taints);
    }

    /** The loaded modules as data. */
    public List<ModuleEntry> modules() {
        return loader.modules();
    }

    @Descriptor("show information about a module: modinfo NAME|FILE (signer, sig_key, sig_hashalgo if signed)")
    public String modinfo(@Descriptor("NAME or FILE") String arg) {
        return ModuleFormat.modinfo(modinfoData(arg));
    }

    ModInfo modinfoData(String arg) {
        Path p = path(arg);
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

    static Path path(String file) {
        return Paths.get(file);
    }
}
