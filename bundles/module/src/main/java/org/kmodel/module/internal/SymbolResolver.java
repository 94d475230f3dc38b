package org.kmodel.module.internal;

import java.util.Collection;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.module.ModuleState;

/**
 * {@code simplify_symbols} → {@code resolve_symbol} → {@code find_symbol} and {@code ref_module}
 * (kernel/module/main.c), and the duplicate-export check of {@code complete_formation}
 * ({@code verify_exported_symbols}). A GPL-only symbol is invisible to a module that already has its
 * P bit ({@code gplok = !P}): "Unknown symbol", ENOENT.
 */
final class SymbolResolver {
    private final ModuleTaints taints;
    private final KernelRelease release;
    private final ModuleRefTrace trace;

    SymbolResolver(ModuleTaints taints, KernelRelease release, ModuleRefTrace trace) {
        this.taints = taints;
        this.release = release;
        this.trace = trace;
    }

    /** Who exports {@code sym}: null for the kernel image; throws ENOENT if nobody visible does. */
    void resolveAll(LoadedModule mod, Collection<LoadedModule> loaded) {
        boolean gplOk = ModinfoCheck.gplCompatible(mod);
        for (String sym : mod.file().imports()) {
            Boolean kernelGpl = KernelSymbols.EXPORTS.get(sym);
            if (kernelGpl != null) {
                if (kernelGpl && !gplOk) {
                    unknown(mod, sym);
                }
                continue;
            }
            LoadedModule owner = null;
            boolean gplOnly = false;
            for (LoadedModule m : loaded) {
                if (m == mod || m.state() == ModuleState.UNFORMED || m.state() == ModuleState.GOING) {
                    continue;
                }
                if (m.file().exports().contains(sym)) {
                    owner = m;
                } else if (m.file().exportsGpl().contains(sym)) {
                    owner = m;
                    gplOnly = true;
                }
                if (owner != null) {
                    break;
                }
            }
            if (owner == null || (gplOnly && !gplOk)) {
                unknown(mod, sym);
            }
            if (owner.state() == ModuleState.COMING) {
                // strong_try_module_get: the exporter is still initialising.
                throw new KernelException(
                        Errno.EBUSY, mod.name() + ": " + sym + " owner " + owner.name() + " is coming");
            }
            inheritTaint(mod, owner, sym);
            if (mod.use(owner)) {
                // ref_module → strong_try_module_get: the first use of an exporter takes a reference
                trace.get(owner, "ref_module");
            }
        }
    }

    /** {@code inherit_taint} (5.9+): using symbols of a proprietary module makes this one P too. */
    private void inheritTaint(LoadedModule mod, LoadedModule owner, String sym) {
        if (release.atLeast(5, 9) && !ModinfoCheck.gplCompatible(owner) && ModinfoCheck.gplCompatible(mod)) {
            taints.addModuleTaint(
                    mod,
                    TaintFlag.PROPRIETARY_MODULE,
                    "module uses symbols " + sym + " from proprietary module " + owner.name() + ", inheriting taint.",
                    false);
        }
    }

    private void unknown(LoadedModule mod, String sym) {
        // 3.x printed PTR_ERR(NULL) = 0; later kernels print -ENOENT (the exact release is not pinned down).
        taints.log().warn(mod.name() + ": Unknown symbol " + sym + " (err " + (release.atLeast(3, 19) ? -2 : 0) + ")");
        throw new KernelException(Errno.ENOENT, mod.name() + ": Unknown symbol " + sym);
    }

    /** {@code verify_exported_symbols}: a symbol someone already exports cannot be exported again. */
    void verifyExports(LoadedModule mod, Collection<LoadedModule> loaded) {
        for (String sym : concat(mod.file().exports(), mod.file().exportsGpl())) {
            String owner = KernelSymbols.EXPORTS.containsKey(sym) ? "kernel" : null;
            for (LoadedModule m : loaded) {
                if (m != mod
                        && m.state() != ModuleState.UNFORMED
                        && (m.file().exports().contains(sym)
                                || m.file().exportsGpl().contains(sym))) {
                    owner = m.name();
                }
            }
            if (owner != null) {
                taints.log().err(mod.name() + ": exports duplicate symbol " + sym + " (owned by " + owner + ")");
                throw new KernelException(Errno.ENOEXEC, mod.name() + ": exports duplicate symbol " + sym);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
