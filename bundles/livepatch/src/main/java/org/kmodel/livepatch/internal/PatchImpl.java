package org.kmodel.livepatch.internal;

import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.kmodel.livepatch.KlpCallbacks;
import org.kmodel.livepatch.KlpPatch;

/** A registered patch ({@code struct klp_patch} with its objects and funcs, kernel/livepatch/core.c). */
final class PatchImpl {
    /** {@code struct klp_object}. */
    static final class Obj {
        final String name;
        final KlpCallbacks callbacks;
        /** {@code obj->dynamic}: added by klp_add_nops for an object only an older patch named. */
        final boolean dynamic;

        final List<Func> funcs = new ArrayList<>();
        /** {@code obj->patched}: its funcs are on the func stacks. */
        volatile boolean patched;

        Obj(String name, KlpCallbacks callbacks) {
            this(name, callbacks, false);
        }

        Obj(String name, KlpCallbacks callbacks, boolean dynamic) {
            this.name = name;
            this.callbacks = callbacks;
            this.dynamic = dynamic;
        }
    }

    /** {@code struct klp_func}; {@code nop} funcs come from atomic replace (klp_add_nops). */
    static final class Func {
        final String name;
        final MethodHandle newFunc;
        final boolean nop;
        FuncState fs;
        FuncState.PatchFunc pf;

        Func(String name, MethodHandle newFunc, boolean nop) {
            this.name = name;
            this.newFunc = newFunc;
            this.nop = nop;
        }
    }

    final String name;
    final KlpPatch patch;
    final boolean replace;
    final List<Obj> objects = new ArrayList<>();
    volatile boolean enabled;
    volatile boolean forced;
    /** kpatch: how long the last stop_machine held the tasks. */
    volatile long pauseNanos;

    PatchImpl(KlpPatch patch) {
        this.name = patch.module();
        this.patch = patch;
        this.replace = patch.replace();
    }

    Obj object(String name) {
        return objects.stream().filter(o -> o.name.equals(name)).findFirst().orElse(null);
    }
}
