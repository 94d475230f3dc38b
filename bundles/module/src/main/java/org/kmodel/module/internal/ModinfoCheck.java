package org.kmodel.module.internal;

import java.util.Set;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;

/**
 * {@code check_modinfo} (kernel/module/main.c; 3.x kernel/module.c) and, from 6.4,
 * {@code module_augment_kernel_taints}: vermagic, livepatch support, and the taints a module's
 * .modinfo implies (O, C, P, N, K), each with the kernel's log line.
 */
final class ModinfoCheck {
    /** include/linux/license.h {@code license_is_gpl_compatible}: exact, case-sensitive. */
    static final Set<String> GPL_COMPATIBLE =
            Set.of("GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL");

    private final ModuleTaints taints;
    private final KernelRelease release;

    ModinfoCheck(ModuleTaints taints, KernelRelease release) {
        this.taints = taints;
        this.release = release;
    }

    /** The running kernel's vermagic (include/linux/vermagic.h): release, SMP, mod_unload. */
    static String vermagic(KernelRelease release) {
        return release.unameRelease() + " SMP mod_unload";
    }

    /**
     * The vermagic check: ignored when forced or missing (then {@code try_to_force_load}: F, or ENOEXEC
     * without CONFIG_MODULE_FORCE_LOAD); a different one is ENOEXEC, never forced.
     */
    void vermagic(LoadedModule mod, boolean force, boolean forceLoadAllowed) {
        String magic = force ? null : mod.file().modinfo().get("vermagic");
        if (magic == null) {
            if (!forceLoadAllowed) {
                throw new KernelException(Errno.ENOEXEC, mod.name() + ": forced load not allowed");
            }
            taints.forced(mod, "bad vermagic");
            return;
        }
        String ours = vermagic(release);
        if (!magic.equals(ours)) {
            taints.log().err(mod.name() + ": version magic '" + magic + "' should be '" + ours + "'");
            throw new KernelException(
                    Errno.ENOEXEC, mod.name() + ": version magic '" + magic + "' should be '" + ours + "'");
        }
    }

    /** {@code check_modinfo_livepatch}: only from 4.0; 3.x ignores the field. */
    void livepatch(LoadedModule mod, boolean livepatchSupported) {
        if (!release.atLeast(4, 0) || !mod.file().flag("livepatch")) {
            return;
        }
        if (!livepatchSupported) {
            taints.log().err(mod.name() + ": module is marked as livepatch module, but livepatch support is disabled");
            throw new KernelException(Errno.ENOEXEC, mod.name() + ": livepatch not supported");
        }
        taints.addModuleTaint(mod, TaintFlag.LIVEPATCH, "tainting kernel with TAINT_LIVEPATCH", true);
    }

    /** The .modinfo taints in check_modinfo's order: intree, staging, test, then set_license. */
    void modinfoTaints(LoadedModule mod) {
        ModuleFile f = mod.file();
        if (!f.flag("intree")) {
            taints.addModuleTaint(mod, TaintFlag.OOT_MODULE, "loading out-of-tree module taints kernel.", true);
        }
        if (f.flag("staging")) {
            taints.addModuleTaint(
                    mod,
                    TaintFlag.CRAP,
                    "module is from the staging directory, the quality is unknown, you have been warned.",
                    false);
        }
        if (f.flag("test") && release.atLeast(6, 0)) {
            taints.addModuleTaint(mod, TaintFlag.TEST, "loading test module taints kernel.", true);
        }
        String license = f.modinfo().getOrDefault("license", "unspecified");
        if (!GPL_COMPATIBLE.contains(license)) {
            taints.addModuleTaint(
                    mod, TaintFlag.PROPRIETARY_MODULE, "module license '" + license + "' taints kernel.", true);
        }
    }

    static boolean gplCompatible(LoadedModule mod) {
        return (mod.taints() & TaintFlag.PROPRIETARY_MODULE.mask()) == 0;
    }
}
