package org.kmodel.mm.cache.mmapcache.testing;

import org.kmodel.mm.VmaCacheDesign;
import org.kmodel.mm.cache.mmapcache.internal.MmapCache;

/** The mmapcache bundle's VMA cache design for a test or benchmark that runs without OSGi. */
public final class TestMmapCache {
    private TestMmapCache() {}

    /** A new instance of the design the bundle registers as a service. */
    public static VmaCacheDesign<?, ?> design() {
        return new MmapCache();
    }
}
