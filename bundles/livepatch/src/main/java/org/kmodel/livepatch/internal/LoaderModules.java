package org.kmodel.livepatch.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleLoader;
import org.kmodel.module.ModuleState;

/** The core's view of the module loader: is_livepatch_module, try_module_get/module_put of the patch module. */
final class LoaderModules implements KlpCore.Modules {
    private final Supplier<ModuleLoader> loader;
    /**
     * Patch modules that enabled their patch from init, while COMING: the kernel's try_module_get accepts a
     * COMING module, the model's loader only a LIVE one, so the reference is taken when the module goes LIVE
     * (nobody can remove a module that is not LIVE meanwhile).
     */
    private final Set<String> pendingGets = ConcurrentHashMap.newKeySet();

    LoaderModules(Supplier<ModuleLoader> loader) {
        this.loader = loader;
    }

    @Override
    public boolean loaded(String name) {
        ModuleLoader l = loader.get();
        return l != null && l.find(name) != null;
    }

    @Override
    public boolean livepatchModule(String name) {
        ModuleLoader l = loader.get();
        KernelModule m = l == null ? null : l.find(name);
        if (m == null) {
            return false;
        }
        String v = m.modinfo().get("livepatch");
        return v != null && !v.equals("N") && !v.equals("0");
    }

    @Override
    public boolean get(String name) {
        ModuleLoader l = loader.get();
        KernelModule m = l == null ? null : l.find(name);
        if (m == null) {
            return true;
        }
        if (m.state() == ModuleState.COMING) {
            pendingGets.add(name);
            return true;
        }
        return l.moduleGet(name, "klp_init_patch");
    }

    /** The module went LIVE: take the reference its patch holds. */
    void live(String name) {
        ModuleLoader l = loader.get();
        if (pendingGets.remove(name) && l != null) {
            l.moduleGet(name, "klp_init_patch");
        }
    }

    @Override
    public void put(String name) {
        if (pendingGets.remove(name)) {
            return;
        }
        ModuleLoader l = loader.get();
        if (l != null && l.find(name) != null) {
            l.modulePut(name, "klp_free_patch_finish");
        }
    }
}
