package org.kmodel.livepatch;

import java.util.function.Supplier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Shadow variables (kernel/livepatch/shadow.c): data a patch attaches to an existing object, keyed by the
 * object's identity and a numeric id, so a patch can add "fields" to structures it cannot change. Like the
 * kernel's they hold their value until freed: a shadow of an object that goes away must be freed by
 * whoever frees the object (the patched free function), or it leaks.
 */
@ProviderType
public interface ShadowVariables {
    /** {@code klp_shadow_get}: the value, or null. */
    Object get(Object obj, long id);

    /** {@code klp_shadow_alloc}: attaches a new value; if one exists it warns and returns null (EEXIST). */
    Object alloc(Object obj, long id, Supplier<?> ctor);

    /** {@code klp_shadow_get_or_alloc}: the existing value, or a new one. */
    Object getOrAlloc(Object obj, long id, Supplier<?> ctor);

    /** {@code klp_shadow_free}. */
    void free(Object obj, long id);

    /** {@code klp_shadow_free_all}: every shadow with this id. */
    void freeAll(long id);

    /** How many shadow variables exist (for checks and tools). */
    int count();
}
