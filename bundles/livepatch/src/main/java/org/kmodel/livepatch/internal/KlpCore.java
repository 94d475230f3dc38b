package org.kmodel.livepatch.internal;

import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;
import org.kmodel.livepatch.LivePatching;
import org.kmodel.livepatch.ShadowVariables;

/**
 * The live patching core shared by the three consistency models (kernel/livepatch/core.c and transition.c):
 * the patch list, {@code klp_mutex}, the one patch in transition and its target state, resolving functions
 * (kallsyms), func stacks, deferred patching of modules (klp_module_coming/going), callbacks, and the retry
 * work. The engine decides when tasks switch. Every failure is raised before anything changed, or undoes
 * what was done, as klp_enable_patch's error path does.
 */
final class KlpCore implements LivePatching, Ftrace.Boundary {
    /** What the core needs from the module loader. */
    interface Modules {
        boolean loaded(String name);

        /** modinfo livepatch=Y (is_livepatch_module). */
        boolean livepatchModule(String name);

        /** try_module_get from klp_init_patch. */
        boolean get(String name);

        void put(String name);

        Modules NONE = new Modules() {
            @Override
            public boolean loaded(String name) {
                return false;
            }

            @Override
            public boolean livepatchModule(String name) {
                return false;
            }

            @Override
            public boolean get(String name) {
                return true;
            }

            @Override
            public void put(String name) {}
        };
    }

    final Ftrace ftrace;
    final KernelLog log;
    volatile Modules modules = Modules.NONE;
    final ReentrantLock mutex = new ReentrantLock();
    final List<PatchImpl> patches = new CopyOnWriteArrayList<>();
    volatile PatchImpl transitionPatch;
    volatile int target = TaskImpl.UNDEFINED;
    /**
     * TIF_PATCH_PENDING is set for every task only in klp_start_transition, after the funcs are on the
     * stacks: before that no task may switch at a boundary, or it would run the originals of functions not
     * yet pushed next to new versions of functions already pushed.
     */
    volatile boolean pending;

    private final Map<String, Engine> engines = new LinkedHashMap<>();
    private volatile Engine engine;
    private final ScheduledExecutorService work;
    private ScheduledFuture<?> retry;
    /** klp_transition_work's period (round_jiffies_relative(HZ): 1 s) and SIGNALS_TIMEOUT (15 tries). */
    volatile long retryMillis = 1000;

    volatile int signalsTimeout = 15;
    /** kpatch: stop_machine attempts before EBUSY and the pause between them. */
    volatile int kpatchRetries = 5;

    volatile long kpatchRetryMillis = 20;
    int attempts;
    final ShadowImpl shadow = new ShadowImpl();
    /** The vmlinux functions the model has (kallsyms), defined or not yet loaded into the JVM. */
    final Set<String> kallsyms;

    volatile Runnable changed = () -> {};
    /** The taint the 2014 engines set themselves (kpatch: TAINT_USER); null in unit tests without one. */
    volatile org.kmodel.kernel.Taint taint;

    private boolean taintNoticed;

    /** The running release (the profile decides files, taints and the default engine). */
    volatile org.kmodel.kernel.KernelRelease release = org.kmodel.kernel.KernelRelease.DEFAULT;

    KlpCore(Ftrace ftrace, KernelLog log, Set<String> kallsyms) {
        this.ftrace = ftrace;
        this.log = log;
        this.kallsyms = kallsyms;
        this.work = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kworker/klp");
            t.setDaemon(true);
            return t;
        });
        ftrace.boundary = this;
    }

    void close() {
        work.shutdownNow();
    }

    /** pr_notice_once + add_taint, as kpatch_register did. */
    void taintOnce(org.kmodel.kernel.TaintFlag flag, String message) {
        org.kmodel.kernel.Taint t = taint;
        if (t == null) {
            return;
        }
        if (!taintNoticed) {
            taintNoticed = true;
            notice(message);
        }
        t.add(flag);
    }

    void notice(String text) {
        log.printk(KernelLog.Level.NOTICE, text);
    }

    void debug(String text) {
        log.printk(KernelLog.Level.DEBUG, text);
    }

    /** klp_cancel_transition after a failed start: nobody switched yet, so nothing else changes. */
    void cancelTransition() {
        pending = false;
        transitionPatch = null;
        target = TaskImpl.UNDEFINED;
        for (TaskImpl t : ftrace.tasks) {
            synchronized (t) {
                t.patchState = TaskImpl.UNDEFINED;
            }
        }
    }

    // ---- engines ----------------------------------------------------------------------------------------

    void addEngine(Engine e) {
        engines.put(e.name(), e);
        if (engine == null) {
            engine = e;
        }
    }

    void removeEngine(Engine e) {
        engines.remove(e.name(), e);
    }

    @Override
    public String engine() {
        Engine e = engine;
        return e == null ? "none" : e.name();
    }

    Engine engineImpl() {
        Engine e = engine;
        if (e == null) {
            throw new KernelException(Errno.ENODEV, "no live patching engine");
        }
        return e;
    }

    @Override
    public void selectEngine(String name) {
        mutex.lock();
        try {
            Engine e = engines.get(name);
            if (e == null) {
                throw new KernelException(
                        Errno.EINVAL, "no engine " + name + " (have " + String.join(", ", engines.keySet()) + ")");
            }
            if (!patches.isEmpty() && e != engine) {
                throw new KernelException(Errno.EBUSY, "engine: patches are loaded");
            }
            engine = e;
        } finally {
            mutex.unlock();
        }
    }

    List<String> engineNames() {
        return List.copyOf(engines.keySet());
    }

    // ---- klp_enable_patch ---------------------------------------------------------------------------------

    @Override
    public void enablePatch(KlpPatch patch) {
        mutex.lock();
        try {
            Engine e = engineImpl();
            if ("livepatch".equals(e.name()) && !modules.livepatchModule(patch.module())) {
                log.err("livepatch: module " + patch.module() + " is not marked as a livepatch module");
                throw new KernelException(Errno.EINVAL, patch.module() + ": not marked as a livepatch module");
            }
            if (find(patch.module()) != null) {
                throw new KernelException(Errno.EINVAL, patch.module() + ": patch already registered");
            }
            if (transitionPatch != null) {
                throw new KernelException(Errno.EBUSY, "another patch is in transition: " + transitionPatch.name);
            }
            PatchImpl p = init(patch);
            if (!modules.get(p.name)) {
                throw new KernelException(Errno.ENODEV, p.name + ": module is going");
            }
            patches.add(p);
            try {
                e.enable(this, p);
            } catch (RuntimeException ex) {
                patches.remove(p);
                modules.put(p.name);
                throw ex;
            }
            changed.run();
        } finally {
            mutex.unlock();
        }
    }

    /** klp_init_patch: objects, funcs resolved through kallsyms, nops for atomic replace. Changes nothing. */
    private PatchImpl init(KlpPatch patch) {
        PatchImpl p = new PatchImpl(patch);
        for (KlpObject o : patch.objects()) {
            PatchImpl.Obj obj = new PatchImpl.Obj(o.name(), o.callbacks());
            for (KlpFunc f : o.funcs()) {
                PatchImpl.Func func = new PatchImpl.Func(f.oldName(), f.newFunc(), f.newFunc() == null);
                func.fs = resolve(o.name(), f.oldName(), f.newFunc());
                obj.funcs.add(func);
            }
            p.objects.add(obj);
        }
        if (p.replace) {
            addNops(p);
        }
        return p;
    }

    /** kallsyms lookup plus the type check a C compiler would have done for the patch. */
    private FuncState resolve(String object, String name, MethodHandle newFunc) {
        boolean vmlinux = KernelFunction.VMLINUX.equals(object);
        FuncState fs = ftrace.defined(object, name);
        if (fs == null && (vmlinux ? !kallsyms.contains(name) : modules.loaded(object))) {
            log.err("livepatch: symbol '" + name + "' not found in symbol table");
            throw new KernelException(Errno.EINVAL, "symbol '" + name + "' not found in symbol table");
        }
        if (fs == null) {
            fs = ftrace.func(object, name); // known but not loaded yet: its sites take the target when defined
        }
        for (KernelFunction site : fs.sites) {
            if (newFunc != null && !newFunc.type().equals(site.type())) {
                log.err("livepatch: '" + name + "': new function has type " + newFunc.type() + ", expected "
                        + site.type());
                throw new KernelException(
                        Errno.EINVAL, name + ": new function type " + newFunc.type() + " is not " + site.type());
            }
        }
        return fs;
    }

    /** klp_add_nops: every function an older patch changed and this cumulative one does not. */
    private void addNops(PatchImpl p) {
        for (PatchImpl old : patches) {
            for (PatchImpl.Obj oo : old.objects) {
                for (PatchImpl.Func of : oo.funcs) {
                    PatchImpl.Obj obj = p.object(oo.name);
                    if (obj == null) {
                        obj = new PatchImpl.Obj(oo.name, null, true);
                        p.objects.add(obj);
                    }
                    boolean named = obj.funcs.stream().anyMatch(f -> f.name.equals(of.name));
                    if (!named) {
                        PatchImpl.Func nop = new PatchImpl.Func(of.name, null, true);
                        nop.fs = of.fs;
                        obj.funcs.add(nop);
                    }
                }
            }
        }
    }

    // ---- sysfs writes ------------------------------------------------------------------------------------

    @Override
    public void setEnabled(String name, boolean enabled) {
        mutex.lock();
        try {
            PatchImpl p = require(name);
            if (p.enabled == enabled) {
                throw new KernelException(Errno.EINVAL, name + ": already " + (enabled ? "enabled" : "disabled"));
            }
            if (p == transitionPatch) {
                reverse();
            } else if (!enabled) {
                if (transitionPatch != null) {
                    throw new KernelException(Errno.EBUSY, "another patch is in transition: " + transitionPatch.name);
                }
                if (patches.get(patches.size() - 1) != p) {
                    throw new KernelException(Errno.EBUSY, name + ": not the topmost patch");
                }
                engineImpl().disable(this, p);
            } else {
                throw new KernelException(Errno.EINVAL, name + ": a disabled patch cannot be re-enabled");
            }
            changed.run();
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void force(String name) {
        mutex.lock();
        try {
            PatchImpl p = require(name);
            if (p != transitionPatch) {
                throw new KernelException(Errno.EINVAL, name + ": not in transition");
            }
            engineImpl().force(this, p);
            changed.run();
        } finally {
            mutex.unlock();
        }
    }

    PatchImpl require(String name) {
        PatchImpl p = find(name);
        if (p == null) {
            throw new KernelException(Errno.ENOENT, name);
        }
        return p;
    }

    PatchImpl find(String name) {
        return patches.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
    }

    // ---- transitions (kernel/livepatch/transition.c) ---------------------------------------------------

    /** klp_init_transition: every task starts in the state opposite to the target; funcs get transition. */
    void initTransition(PatchImpl p, int state) {
        pending = false;
        transitionPatch = p;
        target = state;
        attempts = 0;
        int initial = state == TaskImpl.PATCHED ? TaskImpl.UNPATCHED : TaskImpl.PATCHED;
        for (TaskImpl t : ftrace.tasks) {
            synchronized (t) {
                t.patchState = initial;
            }
        }
        for (PatchImpl.Obj o : p.objects) {
            for (PatchImpl.Func f : o.funcs) {
                if (f.pf != null) {
                    f.pf.transition = true;
                    ftrace.track(f.fs, true);
                }
            }
        }
    }

    /** klp_patch_object: the dispatcher first, then the func goes on top of the stack (in transition). */
    void patchObject(PatchImpl p, PatchImpl.Obj o, boolean transition) {
        for (PatchImpl.Func f : o.funcs) {
            f.pf = new FuncState.PatchFunc(p, f.newFunc);
            f.pf.transition = transition;
            ftrace.track(f.fs, true);
            f.fs.push(f.pf);
            ftrace.retarget(f.fs);
        }
        o.patched = true;
    }

    /** klp_unpatch_object: the funcs leave the stacks; sites go back to what is below. */
    void unpatchObject(PatchImpl.Obj o, boolean tracked) {
        for (PatchImpl.Func f : o.funcs) {
            if (f.pf != null) {
                f.fs.remove(f.pf);
                if (tracked) {
                    ftrace.track(f.fs, false);
                } else {
                    ftrace.retarget(f.fs);
                }
                f.pf = null;
            }
        }
        o.patched = false;
    }

    boolean objectLoaded(String name) {
        return KernelFunction.VMLINUX.equals(name) || modules.loaded(name);
    }

    /** The pre-patch callbacks of the loaded objects, patching each; a failure unpatches what was done. */
    void patchLoadedObjects(PatchImpl p, boolean transition) {
        List<PatchImpl.Obj> done = new ArrayList<>();
        for (PatchImpl.Obj o : p.objects) {
            if (!objectLoaded(o.name)) {
                continue;
            }
            int ret = o.callbacks == null ? 0 : o.callbacks.prePatch(o.name);
            if (ret != 0) {
                log.warn("livepatch: pre-patch callback failed for object '" + o.name + "'");
                for (PatchImpl.Obj d : done) {
                    unpatchObject(d, true);
                    if (d.callbacks != null) {
                        d.callbacks.postUnpatch(d.name);
                    }
                }
                throw new KernelException(errno(ret), "pre-patch callback for " + o.name);
            }
            patchObject(p, o, transition);
            done.add(o);
        }
    }

    private static Errno errno(int ret) {
        for (Errno e : Errno.values()) {
            if (e.number() == -ret || e.number() == ret) {
                return e;
            }
        }
        return Errno.EINVAL;
    }

    /** klp_start_transition + the first klp_try_complete_transition. */
    void startTransition(String prefix) {
        PatchImpl p = transitionPatch;
        pending = true;
        notice(prefix + "'" + p.name + "': starting " + (target == TaskImpl.PATCHED ? "patching" : "unpatching")
                + " transition");
        tryComplete();
    }

    /** klp_try_complete_transition: one pass; if incomplete, the work runs again after retryMillis. */
    void tryComplete() {
        if (transitionPatch == null) {
            return;
        }
        if (engineImpl().tryComplete(this)) {
            completeTransition();
            return;
        }
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (retry != null) {
            retry.cancel(false);
        }
        retry = work.schedule(
                () -> {
                    mutex.lock();
                    try {
                        tryComplete();
                        changed.run();
                    } finally {
                        mutex.unlock();
                    }
                },
                engineImpl().periodMillis(this),
                TimeUnit.MILLISECONDS);
    }

    /** klp_complete_transition and what follows it in klp_try_complete_transition. */
    void completeTransition() {
        PatchImpl p = transitionPatch;
        boolean patching = target == TaskImpl.PATCHED;
        pending = false;
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        // Unpatching: the funcs leave the stacks before any transition flag is cleared (klp_unpatch_objects
        // comes first in klp_complete_transition); clearing first would let a task that already ran the
        // original of one function run the new version of the next through a "steady" top entry.
        for (PatchImpl.Obj o : p.objects) {
            if (!patching && o.patched) {
                unpatchObject(o, true);
            }
        }
        for (PatchImpl.Obj o : p.objects) {
            for (PatchImpl.Func f : o.funcs) {
                if (f.pf == null) {
                    continue;
                }
                f.pf.transition = false;
                if (patching) {
                    ftrace.track(f.fs, false);
                }
            }
        }
        if (patching && p.replace) {
            for (PatchImpl old : List.copyOf(patches)) {
                if (old != p) {
                    for (PatchImpl.Obj o : old.objects) {
                        unpatchObject(o, false);
                    }
                    old.enabled = false;
                    free(old);
                }
            }
            // klp_discard_nops: the nops did their job; the original code is what remains below.
            for (PatchImpl.Obj o : p.objects) {
                for (PatchImpl.Func f : List.copyOf(o.funcs)) {
                    if (f.nop) {
                        // A nop of an object that is not loaded was never pushed: freed all the same
                        // (klp_free_objects_dynamic), so the module's code is its own when it comes.
                        if (f.pf != null) {
                            f.fs.remove(f.pf);
                            ftrace.retarget(f.fs);
                        }
                        o.funcs.remove(f);
                    }
                }
            }
        }
        for (TaskImpl t : ftrace.tasks) {
            synchronized (t) {
                t.patchState = TaskImpl.UNDEFINED;
            }
        }
        for (PatchImpl.Obj o : p.objects) {
            if (o.callbacks != null && objectLoaded(o.name)) {
                if (patching) {
                    o.callbacks.postPatch(o.name);
                } else {
                    o.callbacks.postUnpatch(o.name);
                }
            }
        }
        notice(prefix() + "'" + p.name + "': " + (patching ? "patching" : "unpatching") + " complete");
        // The kernel's order (kernel/livepatch/transition.c, klp_complete_transition, then
        // klp_try_complete_transition): the transition patch is cleared last, and a disabled patch leaves the
        // list only after that, still under klp_mutex. A reader without the mutex may see both states.
        target = TaskImpl.UNDEFINED;
        transitionPatch = null;
        if (!patching) {
            free(p);
        }
    }

    String prefix() {
        String e = engine();
        return "kgraft".equals(e) ? "kgr: " : e + ": ";
    }

    /** klp_free_patch_finish: the patch leaves the list; the module can go, unless a force pinned it. */
    void free(PatchImpl p) {
        patches.remove(p);
        if (!p.forced) {
            modules.put(p.name);
        }
    }

    /** klp_reverse_transition: the target flips; tasks already switched now have to switch back. */
    void reverse() {
        PatchImpl p = transitionPatch;
        debug(prefix() + "'" + p.name + "': reversing transition from "
                + (target == TaskImpl.PATCHED ? "patching" : "unpatching"));
        target = target == TaskImpl.PATCHED ? TaskImpl.UNPATCHED : TaskImpl.PATCHED;
        p.enabled = target == TaskImpl.PATCHED;
        attempts = 0;
        tryComplete();
    }

    /** A task's switch under its monitor. */
    void switchTask(TaskImpl t) {
        t.patchState = target;
    }

    // ---- Ftrace.Boundary ----------------------------------------------------------------------------------

    /**
     * A switch at the boundary re-reads {@code pending} under the task's monitor: klp_init_transition clears it
     * and then sets each task's initial state under that monitor, so a task that saw the previous
     * transition's flag can never switch to the new target before the funcs are on the stacks (it would then
     * run old code before, and new code after, the push within one system call).
     */
    @Override
    public void entry(TaskImpl t) {
        Engine e = engine;
        if (e != null && pending) {
            synchronized (t) {
                if (pending) {
                    e.entry(this, t);
                }
            }
        }
    }

    @Override
    public void exit(TaskImpl t) {
        Engine e = engine;
        if (e != null && pending) {
            e.exit(this, t);
        }
    }

    @Override
    public void safePoint(TaskImpl t) {
        Engine e = engine;
        if (e != null && pending) {
            synchronized (t) {
                if (pending) {
                    e.safePoint(this, t);
                }
            }
        }
    }

    @Override
    public int newTaskState() {
        if (transitionPatch == null) {
            return TaskImpl.UNDEFINED;
        }
        return pending ? target : (target == TaskImpl.PATCHED ? TaskImpl.UNPATCHED : TaskImpl.PATCHED);
    }

    // ---- modules coming and going (klp_module_coming / klp_module_going) ----------------------------------

    void moduleComing(String module) {
        mutex.lock();
        try {
            for (PatchImpl p : patches) {
                PatchImpl.Obj o = p.object(module);
                if (o == null || o.patched) {
                    continue;
                }
                notice(prefix() + "applying patch '" + p.name + "' to loading module '" + module + "'");
                int ret = o.callbacks == null ? 0 : o.callbacks.prePatch(module);
                if (ret != 0) {
                    log.warn(prefix() + "pre-patch callback failed for object '" + module + "'");
                    continue;
                }
                patchObject(p, o, p == transitionPatch);
                if (p != transitionPatch) {
                    for (PatchImpl.Func f : o.funcs) {
                        ftrace.track(f.fs, false);
                    }
                    if (o.callbacks != null) {
                        o.callbacks.postPatch(module);
                    }
                }
            }
        } finally {
            mutex.unlock();
        }
    }

    void moduleGoing(String module) {
        mutex.lock();
        try {
            for (PatchImpl p : patches) {
                PatchImpl.Obj o = p.object(module);
                if (o == null || !o.patched) {
                    continue;
                }
                notice(prefix() + "reverting patch '" + p.name + "' on unloading module '" + module + "'");
                if (o.callbacks != null) {
                    o.callbacks.preUnpatch(module);
                }
                unpatchObject(o, p == transitionPatch);
                if (o.callbacks != null) {
                    o.callbacks.postUnpatch(module);
                }
            }
        } finally {
            mutex.unlock();
        }
    }

    // ---- LivePatching -------------------------------------------------------------------------------------

    @Override
    public List<PatchInfo> patches() {
        List<PatchInfo> out = new ArrayList<>();
        for (PatchImpl p : patches) {
            out.add(new PatchInfo(
                    p.name,
                    p.enabled,
                    p == transitionPatch,
                    p.replace,
                    p.forced,
                    p.objects.stream().map(o -> o.name).toList()));
        }
        return out;
    }

    @Override
    public boolean inTransition() {
        return transitionPatch != null;
    }

    @Override
    public ShadowVariables shadow() {
        return shadow;
    }
}
