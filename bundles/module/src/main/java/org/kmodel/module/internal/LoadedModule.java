package org.kmodel.module.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleState;

/**
 * {@code struct module} (include/linux/module.h): state, own taints, references, and the
 * {@code module_use} links in both directions ({@code source_list}: who uses me; {@code target_list}:
 * whom I use). Mutated only under the loader's lock; read anywhere (volatile state, snapshots).
 */
final class LoadedModule implements KernelModule {
    private final ModuleFile file;
    private final Map<String, String> params;
    private final boolean sigOk;
    private volatile ModuleState state = ModuleState.UNFORMED;
    private volatile long taints;
    private volatile long bundleId = -1;
    /** Explicit try_module_get/module_put references; holders are counted separately. */
    private final AtomicInteger refs = new AtomicInteger();

    private final List<LoadedModule> sources = new ArrayList<>();
    private final List<LoadedModule> targets = new ArrayList<>();
    final long loadSequence;

    LoadedModule(ModuleFile file, Map<String, String> params, boolean sigOk, long loadSequence) {
        this.file = file;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.sigOk = sigOk;
        this.loadSequence = loadSequence;
    }

    ModuleFile file() {
        return file;
    }

    @Override
    public String name() {
        return file.name();
    }

    @Override
    public long taints() {
        return taints;
    }

    void addTaint(TaintFlag f) {
        taints |= f.mask();
    }

    @Override
    public ModuleState state() {
        return state;
    }

    void state(ModuleState s) {
        state = s;
    }

    @Override
    public Map<String, String> modinfo() {
        return Collections.unmodifiableMap(file.modinfo());
    }

    @Override
    public List<String> tracepoints() {
        return List.copyOf(file.tracepoints());
    }

    @Override
    public long bundleId() {
        return bundleId;
    }

    void bundleId(long id) {
        bundleId = id;
    }

    @Override
    public Map<String, String> parameters() {
        return params;
    }

    @Override
    public boolean sigOk() {
        return sigOk;
    }

    /** {@code module_refcount()}: a holder took a reference through ref_module, plus explicit gets. */
    synchronized int refcount() {
        return sources.size() + refs.get();
    }

    AtomicInteger refs() {
        return refs;
    }

    synchronized List<LoadedModule> sources() {
        return List.copyOf(sources);
    }

    synchronized List<LoadedModule> targets() {
        return List.copyOf(targets);
    }

    /** {@code ref_module(a, b)}: {@code this} uses {@code b}; false if it already did (no new reference). */
    boolean use(LoadedModule b) {
        synchronized (this) {
            if (targets.contains(b)) {
                return false;
            }
            targets.add(b);
        }
        synchronized (b) {
            b.sources.add(this);
        }
        return true;
    }

    /** {@code module_unload_free}: drop every link to the modules this one uses; returns them. */
    List<LoadedModule> releaseUses() {
        List<LoadedModule> t;
        synchronized (this) {
            t = List.copyOf(targets);
            targets.clear();
        }
        for (LoadedModule b : t) {
            synchronized (b) {
                b.sources.remove(this);
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return name() + "[" + state + "]";
    }
}
