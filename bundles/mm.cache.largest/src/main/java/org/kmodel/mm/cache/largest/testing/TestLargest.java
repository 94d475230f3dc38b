package org.kmodel.mm.cache.largest.testing;

import org.kmodel.mm.VmaCacheDesign;
import org.kmodel.mm.cache.largest.internal.LargestVmaCache;

/** The largest bundle's VMA cache design for a test or benchmark that runs without OSGi. */
public final class TestLargest {
    private TestLargest() {}

    /** A new instance of the design the bundle registers as a service. */
    public static VmaCacheDesign<?, ?> design() {
        return new LargestVmaCache();
    }
}
