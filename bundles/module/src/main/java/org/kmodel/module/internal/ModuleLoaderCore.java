package org.kmodel.module.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.Taint;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.module.ModuleEntry;
import org.kmodel.module.ModuleNotifier;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.ModuleState;

/**
 * {@code load_module} and {@code delete_module} (kernel/module/main.c; 3.x kernel/module.c) in the
 * kernel's order of checks (docs/modules.md#loading-the-kernels-order-of-checks). One lock ({@code module_mutex}) serialises loads and
 * unloads, so a name is never half-registered. A failed load leaves no module and no bundle behind;
 * only the global taint it already set stays, as in the kernel.
 */
final class ModuleLoaderCore {
    private final KernelRelease release;
    private final ModuleTaints taints;
    private final Taint taint;
    private final Supplier<ModuleSignatureVerifier> verifier;
    private final Supplier<List<ModuleNotifier>> notifiers;
    private final ModuleCode code;
    final LoaderSettings settings = new LoaderSettings();
    private final ReentrantLock moduleMutex = new ReentrantLock();
    /** The module list, in load order (the kernel adds at the head; {@link #entries()} reverses). */
    private final Map<String, LoadedModule> modules = new LinkedHashMap<>();

    private long sequence;
    /** module_get/module_put tracepoints; replaced when a tracepoint registry comes or goes. */
    volatile ModuleRefTrace refTrace = ModuleRefTrace.NONE;

    ModuleLoaderCore(
            KernelRelease release,
            Taint taint,
            KernelLog log,
            Supplier<ModuleSignatureVerifier> verifier,
            Supplier<List<ModuleNotifier>> notifiers,
            ModuleCode code) {
        this.release = release;
        this.taint = taint;
        this.taints = new ModuleTaints(taint, log);
        this.verifier = verifier;
        this.notifiers = notifiers;
        this.code = code;
    }

    KernelRelease release() {
        return release;
    }

    KernelLog log() {
        return taints.log();
    }

    /** init_module / finit_module. */
    LoadedModule load(byte[] image, String hint, boolean force, List<String> params) {
        moduleMutex.lock();
        try {
            return loadLocked(image, hint == null ? "module" : hint, force, params);
        } finally {
            moduleMutex.unlock();
        }
    }

    private LoadedModule loadLocked(byte[] image, String hint, boolean force, List<String> params) {
        if (settings.modulesDisabled) {
            throw new KernelException(Errno.EPERM, "init_module");
        }
        if (image == null || image.length == 0) {
            throw new KernelException(Errno.ENOEXEC, hint + ": empty module");
        }
        // Step 2: the signature, before anything of the image is parsed.
        ModuleSignatureVerifier v = verifier.get();
        boolean sigOk = false;
        int payloadLength = image.length;
        if (settings.moduleSig) {
            if (v == null) {
                throw new KernelException(Errno.ENOPKG, "no signature verifier");
            }
            ModuleSigCheck.Result r =
                    ModuleFunctions.moduleSigCheck(image, release, settings.sigEnforce, force, v, taints.log());
            sigOk = r.sigOk();
            payloadLength = r.payloadLength();
        } else if (v != null) {
            payloadLength = v.modVerifySig(image, release).payloadLength();
        }
        // Step 3: the "ELF" checks.
        ModuleFile file = ModuleFile.parse(Arrays.copyOf(image, payloadLength), hint);
        if (settings.blacklist.contains(file.name())) {
            taints.log().err("Module " + file.name() + " is blacklisted");
            throw new KernelException(Errno.EPERM, "Module " + file.name() + " is blacklisted");
        }
        LoadedModule mod = new LoadedModule(file, parseParams(file, params), sigOk, ++sequence);
        ModinfoCheck modinfo = new ModinfoCheck(taints, release);
        // Step 6: check_modinfo. Before 6.4 the .modinfo taints come here, before the duplicate check,
        // so a rejected duplicate still taints the kernel.
        modinfo.vermagic(mod, force, settings.forceLoad);
        modinfo.livepatch(mod, true);
        boolean late = release.atLeast(6, 4);
        if (!late) {
            modinfo.modinfoTaints(mod);
        }
        // Step 7/8: add_unformed_module.
        LoadedModule old = modules.get(file.name());
        if (old != null) {
            throw new KernelException(
                    old.state() == ModuleState.LIVE ? Errno.EEXIST : Errno.EBUSY,
                    "could not insert '" + file.name() + "'");
        }
        modules.put(file.name(), mod);
        try {
            if (settings.moduleSig && !sigOk) {
                taints.unsigned(mod, TaintFlag.UNSIGNED_MODULE.existsIn(release));
            }
            if (late) {
                modinfo.modinfoTaints(mod);
            }
            SymbolResolver symbols = new SymbolResolver(taints, release, refTrace);
            symbols.resolveAll(mod, modules.values());
            symbols.verifyExports(mod, modules.values());
            mod.bundleId(code.install(file.name(), file.payload()));
            code.resolve(mod.bundleId());
            coming(mod);
            code.start(mod.bundleId());
            mod.state(ModuleState.LIVE);
            notify(mod, ModuleState.LIVE);
            return mod;
        } catch (KernelException e) {
            if (mod.state() == ModuleState.COMING) {
                mod.state(ModuleState.GOING);
                notify(mod, ModuleState.GOING);
            }
            free(mod);
            throw e;
        }
    }

    /** complete_formation → COMING notifiers (tracepoints are created here, before init). */
    private void coming(LoadedModule mod) {
        mod.state(ModuleState.COMING);
        notify(mod, ModuleState.COMING);
    }

    /**
     * parse_args for the module's parameters: an unknown one is only warned about; a value that does
     * not parse for its type is EINVAL.
     */
    private Map<String, String> parseParams(ModuleFile file, List<String> words) {
        Map<String, String> out = new LinkedHashMap<>();
        if (words == null) {
            return out;
        }
        Map<String, ModuleFile.Parm> declared = new LinkedHashMap<>();
        file.parameters().forEach(p -> declared.put(p.name(), p));
        for (String w : words) {
            int eq = w.indexOf('=');
            String key = eq < 0 ? w : w.substring(0, eq);
            String val = eq < 0 ? "" : w.substring(eq + 1);
            ModuleFile.Parm p = declared.get(key.replace('-', '_'));
            if (p == null) {
                taints.log().warn(file.name() + ": unknown parameter '" + key + "' ignored");
                continue;
            }
            if (!ModuleParams.valid(p.type(), val)) {
                taints.log().err(file.name() + ": '" + val + "' invalid for parameter '" + key + "'");
                throw new KernelException(
                        Errno.EINVAL, file.name() + ": '" + val + "' invalid for parameter '" + key + "'");
            }
            out.put(p.name(), val);
        }
        return out;
    }

    /** delete_module(2). */
    void delete(String name, boolean force) {
        moduleMutex.lock();
        try {
            if (settings.modulesDisabled) {
                throw new KernelException(Errno.EPERM, "delete_module");
            }
            LoadedModule mod = modules.get(name);
            if (mod == null || mod.state() == ModuleState.UNFORMED) {
                throw new KernelException(Errno.ENOENT, "could not remove module " + name);
            }
            if (!mod.sources().isEmpty()) {
                // Other modules depend on it; force cannot help.
                throw new KernelException(Errno.EAGAIN, "could not remove module " + name);
            }
            if (mod.state() != ModuleState.LIVE) {
                throw new KernelException(Errno.EBUSY, "could not remove module " + name);
            }
            if (mod.refs().get() > 0) {
                // try_stop_module → try_force_unload: O_TRUNC with CONFIG_MODULE_FORCE_UNLOAD taints R.
                if (!(force && settings.forceUnload)) {
                    throw new KernelException(Errno.EAGAIN, "could not remove module " + name);
                }
                taints.addGlobal(TaintFlag.FORCED_RMMOD);
            }
            mod.state(ModuleState.GOING);
            code.stop(mod.bundleId());
            notify(mod, ModuleState.GOING);
            free(mod);
        } finally {
            moduleMutex.unlock();
        }
    }

    /** The module's bundle went away without the loader (uninstalled from the shell): it is gone. */
    void bundleGone(long bundleId) {
        moduleMutex.lock();
        try {
            for (LoadedModule mod : List.copyOf(modules.values())) {
                if (mod.bundleId() == bundleId && mod.state() != ModuleState.UNFORMED) {
                    if (mod.state() != ModuleState.GOING) {
                        mod.state(ModuleState.GOING);
                        notify(mod, ModuleState.GOING);
                    }
                    mod.bundleId(-1);
                    free(mod);
                }
            }
        } finally {
            moduleMutex.unlock();
        }
    }

    /** free_module: the bundle, the use links and the list entry go; the module's own taints vanish. */
    private void free(LoadedModule mod) {
        if (mod.bundleId() >= 0) {
            code.uninstall(mod.bundleId());
        }
        ModuleRefTrace trace = refTrace;
        for (LoadedModule target : mod.releaseUses()) {
            // module_unload_free: module_put on every module this one used
            trace.put(target, "module_unload_free");
        }
        modules.remove(mod.name(), mod);
    }

    private void notify(LoadedModule mod, ModuleState state) {
        List<ModuleNotifier> list = notifiers.get();
        for (ModuleNotifier n : list) {
            try {
                n.moduleStateChanged(mod, state);
            } catch (RuntimeException e) {
                taints.log()
                        .warn(mod.name() + ": module notifier " + n.getClass().getName() + " failed: " + e);
            }
        }
    }

    LoadedModule find(String name) {
        LoadedModule m = modules.get(name);
        return m == null || m.state() == ModuleState.UNFORMED ? null : m;
    }

    LoadedModule findByBundle(long id) {
        return modules.values().stream()
                .filter(m -> m.bundleId() == id)
                .findFirst()
                .orElse(null);
    }

    /** /proc/modules: visible modules, newest first. */
    List<ModuleEntry> entries() {
        moduleMutex.lock();
        try {
            List<LoadedModule> list = new ArrayList<>(modules.values());
            list.removeIf(m -> m.state() == ModuleState.UNFORMED);
            list.sort(
                    Comparator.comparingLong((LoadedModule m) -> m.loadSequence).reversed());
            List<ModuleEntry> out = new ArrayList<>();
            for (LoadedModule m : list) {
                List<String> holders = new ArrayList<>(
                        m.sources().stream().map(LoadedModule::name).toList());
                java.util.Collections.reverse(holders);
                String flags =
                        taint.moduleFlags(m.taints(), m.state() == ModuleState.COMING, m.state() == ModuleState.GOING);
                if (flags.startsWith("(") && flags.endsWith(")")) {
                    flags = flags.substring(1, flags.length() - 1);
                }
                out.add(new ModuleEntry(
                        m.name(), m.file().payload().length, m.refcount(), holders, m.state(), m.taints(), flags));
            }
            return out;
        } finally {
            moduleMutex.unlock();
        }
    }

    /** {@code try_module_get} called from {@code callSite}. */
    boolean get(String name, String callSite) {
        LoadedModule m = find(name);
        if (m == null || m.state() != ModuleState.LIVE) {
            return false;
        }
        m.refs().incrementAndGet();
        refTrace.get(m, callSite);
        return true;
    }

    /** {@code module_put} called from {@code callSite}; the event fires even at zero, as the kernel's does. */
    void put(String name, String callSite) {
        LoadedModule m = find(name);
        if (m != null) {
            m.refs().updateAndGet(r -> Math.max(0, r - 1));
            refTrace.put(m, callSite);
        }
    }
}
