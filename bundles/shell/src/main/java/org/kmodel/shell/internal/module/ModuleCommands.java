package org.kmodel.shell.internal.module;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleEntry;
import org.kmodel.module.ModuleFiles;
import org.kmodel.module.ModuleLoader;
import org.kmodel.shell.internal.Getopt;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * kmod's tools (tools/insmod.c, rmmod.c, lsmod.c, modinfo.c, modprobe.c) over the module loader.
 * Errors read like kmod's ({@code insmod: ERROR: could not insert module X: File exists}); the
 * syscall's strerror text stands where kmod would print its own wording.
 */
@Component(
        service = ModuleCommands.class,
        property = {
            "osgi.command.scope=module",
            "osgi.command.function=insmod",
            "osgi.command.function=rmmod",
            "osgi.command.function=lsmod",
            "osgi.command.function=modinfo",
            "osgi.command.function=modprobe"
        })
public class ModuleCommands {
    private final ModuleLoader loader;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ReleaseProfile profile;

    @Activate
    public ModuleCommands(@Reference ModuleLoader loader) {
        this.loader = loader;
    }

    @Descriptor("insert a module: insmod [-f] FILE [param=value...]; -f ignores the version magic (taints F)")
    public String insmod(
            CommandSession session,
            @Descriptor(
                            "[-f] FILE [param=value...]; FILE is a model path, e.g. /lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko")
                    String... args) {
        // the module parameters follow FILE: options end at the first operand (kmod's "+" getopt)
        Getopt o = Getopt.of("f", "force=f").stopAtOperand().run(args);
        List<String> rest = new ArrayList<>(o.operands());
        boolean force = o.has('f');
        if (rest.isEmpty()) {
            throw new KernelException(Errno.EINVAL, "ERROR: missing filename.");
        }
        String file = rest.remove(0);
        Path path = modelFile(session, file);
        if (path == null || !Files.exists(path)) {
            // kmod tools/insmod.c: kmod_module_new_from_path fails before init_module(2) is tried
            throw new KernelException(Errno.ENOENT, "ERROR: could not load module " + file);
        }
        try {
            loader.insmod(path, force, rest);
        } catch (KernelException e) {
            throw new KernelException(e.errno(), "ERROR: could not insert module " + file, e);
        }
        return null;
    }

    static final String RMMOD_USAGE =
            "Usage: rmmod [options] modulename ...\n  -f, --force  remove a module in use (taints R)";

    @Descriptor("remove a module: rmmod [-f] NAME; -f forces the removal of a module in use (taints R)")
    public String rmmod(@Descriptor("[-f] NAME...") String... args) {
        Getopt o = Getopt.parse(args, "fh", "force=f", "help=h");
        if (o.has('h')) {
            return RMMOD_USAGE;
        }
        List<String> rest = o.operands();
        boolean force = o.has('f');
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
                // kmod tools/rmmod.c check_module_inuse: holders, then /sys/module/M/refcnt, each refused
                // with -EBUSY before delete_module(2) is called (whose own error would be EWOULDBLOCK).
                // A live patch module holds a reference while enabled (klp_enable_patch's try_module_get).
                ModuleEntry e = entry(name);
                if (e != null && !e.holders().isEmpty()) {
                    throw new KernelException(
                            Errno.EBUSY, "ERROR: Module " + name + " is in use by: " + String.join(" ", e.holders()));
                }
                if (e != null && e.refcount() > 0) {
                    throw new KernelException(Errno.EBUSY, "ERROR: Module " + name + " is in use");
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

    static final String LSMOD_USAGE = "usage: lsmod [-t] [--json]";

    @Descriptor(
            "show the loaded modules (kmod lsmod format); -t also shows each module's taint letters; --json the data")
    public Object lsmod(@Descriptor("[-t] [--json]") String... args) {
        Getopt o = Getopt.parse(args, "th", "help=h", "json").needInline(0, 0, LSMOD_USAGE);
        if (o.has('h')) {
            return LSMOD_USAGE;
        }
        // the records; the shell's converter (ShellConverter) prints them with ModuleFormat, or as JSON
        return new ModuleList(loader.modules(), o.has('t'), o.has("json"));
    }

    /** The loaded modules as data. */
    public List<ModuleEntry> modules() {
        return loader.modules();
    }

    static final String MODINFO_USAGE = "Usage: modinfo [options] <modulename|filename> [args]\n"
            + "  -F, --field=FIELD  print only FIELD\n  -n, --filename     print only the filename\n"
            + "  -k, --set-version  the running kernel's release only";

    @Descriptor(
            "show information about a module: modinfo [-F FIELD] [-n] [-k KERNEL] NAME|FILE (signer, sig_key, sig_hashalgo if signed)")
    public String modinfo(
            CommandSession session,
            @Descriptor("[-F FIELD] [-n] [-k KERNEL] NAME or FILE (a model path)") String... args) {
        Getopt o = Getopt.parse(args, "F:nk:h", "field=F", "filename=n", "set-version=k", "help=h");
        if (o.has('h')) {
            return MODINFO_USAGE;
        }
        String field = o.has('n') ? "filename" : o.value('F');
        String k = o.value('k');
        if (k != null && !k.equals(release())) {
            throw new KernelException(
                    Errno.ENOENT,
                    "ERROR: kernel " + k + " is not the running one (" + release()
                            + "): kmodel has one module directory per boot");
        }
        List<String> rest = o.operands();
        if (rest.size() != 1) {
            throw new KernelException(Errno.EINVAL, "ERROR: missing module or filename.");
        }
        ModInfo info = modinfoData(session, rest.get(0));
        if (field == null) {
            return ModuleFormat.modinfo(info);
        }
        if (field.equals("filename")) {
            return info.filename();
        }
        StringBuilder sb = new StringBuilder();
        for (ModInfo.Field f : info.fields()) {
            if (f.key().equals(field)) {
                sb.append(f.value()).append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }

    private String release() {
        ReleaseProfile p = profile;
        return p == null ? "" : p.release().unameRelease();
    }

    /**
     * The model file a command line names (issue 11: a model path, never the host's; a host file is reached through
     * a hostfs mount), or null when the session has no model directory to resolve it against.
     */
    private static Path modelFile(CommandSession session, String file) {
        try {
            return ModuleFiles.resolve(session == null ? null : session.currentDir(), file);
        } catch (KernelException e) {
            return null;
        }
    }

    ModInfo modinfoData(CommandSession session, String arg) {
        Path p = modelFile(session, arg);
        if ((arg.contains("/") || arg.endsWith(".ko") || arg.endsWith(".jar")) && p != null && Files.isRegularFile(p)) {
            try {
                return loader.modinfo(Files.readAllBytes(p), p.toString());
            } catch (java.io.IOException e) {
                throw new KernelException(Errno.EIO, "ERROR: could not read " + arg, e);
            }
        }
        try {
            ModInfo info = loader.modinfo(arg);
            return new ModInfo(modelPath(info.filename()), info.fields(), info.signature());
        } catch (KernelException e) {
            throw new KernelException(e.errno(), "ERROR: Module " + arg + " not found.", e);
        }
    }

    static final String MODPROBE_USAGE = """
            Usage: modprobe [options] modulename [module parameters...]
               or: modprobe -r [options] modulename...
              -r, --remove    remove the modules instead of inserting them
              -n, --dry-run   do everything but insert or remove (with -v: show what would be done)
              -v, --verbose   print the insmod/rmmod it does
              -f, --force     ignore the version magic (taints F)""";

    @Descriptor(
            "load a module and its dependencies from the module directory: modprobe [-n] [-v] [-f] NAME [param=value...]; modprobe -r NAME... removes")
    public String modprobe(@Descriptor("[-r] [-n] [-v] [-f] NAME [param=value...]") String... args) {
        // the module parameters follow NAME: options end at the first operand
        Getopt o = Getopt.of("rnvfh", "remove=r", "dry-run=n", "show=n", "verbose=v", "force=f", "help=h")
                .stopAtOperand()
                .run(args);
        if (o.has('h')) {
            return MODPROBE_USAGE;
        }
        List<String> rest = new ArrayList<>(o.operands());
        boolean remove = o.has('r');
        boolean dryRun = o.has('n');
        boolean verbose = o.has('v');
        boolean force = o.has('f');
        if (rest.isEmpty()) {
            throw new KernelException(Errno.EINVAL, "ERROR: missing module name.");
        }
        if (remove) {
            StringBuilder out = new StringBuilder();
            for (String arg : rest) {
                String name = moduleName(arg);
                if (verbose) {
                    out.append("rmmod ").append(name).append('\n');
                }
                if (!dryRun) {
                    if (loader.find(name) == null) {
                        throw new KernelException(Errno.ENOENT, "FATAL: Module " + name + " is not currently loaded.");
                    }
                    rmmod(name);
                }
            }
            return out.length() == 0 ? null : out.toString().stripTrailing();
        }
        String name = moduleName(rest.remove(0));
        String line = verbose ? "insmod " + fileOf(name) : null;
        if (dryRun) {
            fileOf(name); // a module that does not exist fails the dry run as well
            return line;
        }
        if (force) {
            String file = hostFileOf(name);
            try {
                loader.insmod(Paths.get(file), true, rest);
            } catch (KernelException e) {
                throw new KernelException(e.errno(), "ERROR: could not insert '" + name + "'", e);
            }
            return line;
        }
        try {
            loader.modprobe(name, rest);
        } catch (KernelException e) {
            if (e.errno() == Errno.ENOENT && e.what() != null && e.what().contains(NOT_FOUND_IN)) {
                // the loader names its directory by the host's path; kmod prints /lib/modules/$(uname -r)
                int at = e.what().indexOf(NOT_FOUND_IN) + NOT_FOUND_IN.length();
                throw new KernelException(
                        Errno.ENOENT,
                        "FATAL: " + e.what().substring(0, at)
                                + modelPath(e.what().substring(at)),
                        e);
            }
            throw new KernelException(e.errno(), "ERROR: could not insert '" + name + "'", e);
        }
        return line;
    }

    private static final String NOT_FOUND_IN = " not found in directory ";

    /** The module file modprobe would load (modinfo's filename) as a model path, or modprobe's FATAL line. */
    private String fileOf(String name) {
        return modelPath(hostFileOf(name));
    }

    /** The module file modprobe would load, as the loader names it (the file it reads), or modprobe's FATAL line. */
    private String hostFileOf(String name) {
        try {
            return loader.modinfo(name).filename();
        } catch (KernelException e) {
            throw new KernelException(Errno.ENOENT, "FATAL: Module " + name + " not found.", e);
        }
    }

    /**
     * A module file the loader found in its module directory, as the model's path: the distribution's
     * {@code lib/modules} is {@code /lib/modules} inside the model, and no host path is printed.
     */
    static String modelPath(String file) {
        return org.kmodel.shell.internal.session.LibModules.modelPath(file, System.getProperty("kmodel.home"));
    }

    private ModuleEntry entry(String name) {
        return loader.modules().stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** kmod's modname_normalize: strip the directory and {@code .ko}, '-' becomes '_'. */
    static String moduleName(String arg) {
        String n = arg.substring(arg.lastIndexOf('/') + 1);
        if (n.endsWith(".ko")) {
            n = n.substring(0, n.length() - 3);
        }
        return n.replace('-', '_');
    }
}
