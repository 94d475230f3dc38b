package org.kmodel.livepatch;

import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * {@code struct klp_func}: the function {@code oldName} is replaced by {@code newFunc}, whose type must be
 * the site's erased {@link KernelFunction#type()} (checked when the patch is enabled: EINVAL). A
 * {@code null} newFunc is a "nop" func of an atomic-replace patch: the original code runs again.
 */
public record KlpFunc(String oldName, MethodHandle newFunc) {
    public KlpFunc {
        Objects.requireNonNull(oldName, "oldName");
    }
}
