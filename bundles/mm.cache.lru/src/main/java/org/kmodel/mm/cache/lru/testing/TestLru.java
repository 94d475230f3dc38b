package org.kmodel.mm.cache.lru.testing;

import org.kmodel.mm.VmaCacheDesign;
import org.kmodel.mm.cache.lru.internal.LruVmaCache;

/** The lru bundle's VMA cache design for a test or benchmark that runs without OSGi. */
public final class TestLru {
    private TestLru() {}

    /** A new instance of the design the bundle registers as a service. */
    public static VmaCacheDesign<?, ?> design() {
        return new LruVmaCache();
    }
}
