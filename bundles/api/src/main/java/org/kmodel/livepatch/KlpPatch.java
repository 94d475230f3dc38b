package org.kmodel.livepatch;

import java.util.List;
import java.util.Objects;

/**
 * {@code struct klp_patch}: the patch a livepatch module hands to {@link LivePatching#enablePatch}.
 * {@code module} is the patch module's own name (the kernel's {@code THIS_MODULE}); with {@code replace}
 * (5.1, atomic replace) it is cumulative: enabling it replaces every older patch and functions they patched
 * that it does not name go back to the original code.
 */
public record KlpPatch(String module, List<KlpObject> objects, boolean replace) {
    public KlpPatch {
        Objects.requireNonNull(module, "module");
        objects = List.copyOf(objects);
    }
}
