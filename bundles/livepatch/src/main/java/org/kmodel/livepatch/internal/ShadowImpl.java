package org.kmodel.livepatch.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.kmodel.livepatch.ShadowVariables;

/** kernel/livepatch/shadow.c: a hash of (object identity, id) to the shadow data. */
final class ShadowImpl implements ShadowVariables {
    /** The key compares the object by identity, as the kernel compares pointers. */
    private record Key(Object obj, long id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.obj == obj && k.id == id;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(obj) * 31 + Long.hashCode(id);
        }
    }

    private final Map<Key, Object> shadows = new ConcurrentHashMap<>();

    @Override
    public Object get(Object obj, long id) {
        return shadows.get(new Key(obj, id));
    }

    @Override
    public Object alloc(Object obj, long id, Supplier<?> ctor) {
        Key k = new Key(obj, id);
        Object[] made = new Object[1];
        Object v = shadows.computeIfAbsent(k, x -> made[0] = ctor.get());
        return made[0] != null && v == made[0] ? v : null; // klp_shadow_alloc: WARN and NULL if it exists
    }

    @Override
    public Object getOrAlloc(Object obj, long id, Supplier<?> ctor) {
        return shadows.computeIfAbsent(new Key(obj, id), x -> ctor.get());
    }

    @Override
    public void free(Object obj, long id) {
        shadows.remove(new Key(obj, id));
    }

    @Override
    public void freeAll(long id) {
        shadows.keySet().removeIf(k -> k.id == id);
    }

    @Override
    public int count() {
        return shadows.size();
    }
}
