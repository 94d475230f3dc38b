package org.kmodel.livepatch;

import java.util.List;
import java.util.Objects;

/**
 * {@code struct klp_object}: the functions a patch replaces in {@code name} ({@link KernelFunction#VMLINUX}
 * or a module, which need not be loaded yet: its functions are patched when it comes), and the object's
 * callbacks.
 */
public record KlpObject(String name, List<KlpFunc> funcs, KlpCallbacks callbacks) {
    public KlpObject {
        Objects.requireNonNull(name, "name");
        funcs = List.copyOf(funcs);
        callbacks = callbacks == null ? KlpCallbacks.NONE : callbacks;
    }

    public KlpObject(String name, List<KlpFunc> funcs) {
        this(name, funcs, KlpCallbacks.NONE);
    }
}
