package org.kmodel.livepatch;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The live patching core: {@code klp_enable_patch} (kernel/livepatch/core.c) for upstream livepatch, or
 * {@code kpatch_register} (kpatch kmod/core/core.c) or {@code kgr_patch_kernel} (SUSE kGraft) for the 2014
 * engines, whichever consistency model is selected. Patch modules call {@link #enablePatch} from their
 * init (a DS activate); a failure makes the module's load fail with the errno. Every failure changes
 * nothing.
 */
@ProviderType
public interface LivePatching {
    /**
     * Registers and enables {@code patch} and starts its transition. EINVAL: the module is not loaded or
     * not marked {@code livepatch=Y}, a function does not exist or has another type; EBUSY: another
     * patch is in transition (livepatch) or the activeness safety check failed (kpatch); EEXIST: already
     * registered.
     */
    void enablePatch(KlpPatch patch);

    /** The name of the consistency model in use: {@code livepatch}, {@code kpatch} or {@code kgraft}. */
    String engine();

    /** Selects another consistency model; EBUSY while any patch is registered, EINVAL if unknown. */
    void selectEngine(String name);

    /** The registered patches in stacking order (oldest first). */
    List<PatchInfo> patches();

    /** Enables or disables a registered patch ({@code echo 0|1 > .../enabled}); see the sysfs rules. */
    void setEnabled(String patch, boolean enabled);

    /** {@code echo 1 > /sys/kernel/livepatch/<patch>/force}; EINVAL unless that patch is in transition. */
    void force(String patch);

    /** True while a transition is in progress. */
    boolean inTransition();

    /** Shadow variables (kernel/livepatch/shadow.c). */
    ShadowVariables shadow();

    /** A registered patch as sysfs shows it. */
    record PatchInfo(
            String name, boolean enabled, boolean transition, boolean replace, boolean forced, List<String> objects) {}
}
