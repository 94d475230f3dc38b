package org.kmodel.mm.cache.none.testing;

import org.kmodel.mm.VmaCacheDesign;
import org.kmodel.mm.cache.none.internal.NoVmaCache;

/** The none bundle's VMA cache design for a test or benchmark that runs without OSGi. */
public final class TestNoCache {
    private TestNoCache() {}

    /** A new instance of the design the bundle registers as a service. */
    public static VmaCacheDesign<?, ?> design() {
        return new NoVmaCache();
    }
}
