package org.kmodel.mm.cache.vmacache.testing;

import org.kmodel.mm.VmaCacheDesign;
import org.kmodel.mm.cache.vmacache.internal.VmaCache;
import org.kmodel.mm.cache.vmacache.internal.VmaCache16;
import org.kmodel.mm.cache.vmacache.internal.VmaCachePmd;

/** The vmacache bundle's VMA cache design for a test or benchmark that runs without OSGi. */
public final class TestVmaCache {
    private TestVmaCache() {}

    /** A new instance of the design the bundle registers as a service. */
    public static VmaCacheDesign<?, ?> design() {
        return new VmaCache();
    }

    /** The 3.15 vmacache with a sequence number of {@code bits} bits (small values make it wrap in a test). */
    public static VmaCacheDesign<?, ?> withSeqnumBits(int bits) {
        return VmaCache.withSeqnumBits(bits);
    }

    /** The 4.19 variant that hashes the four slots on the PMD instead of the page. */
    public static VmaCacheDesign<?, ?> pmd() {
        return new VmaCachePmd();
    }

    /** A comparison point, never in a kernel: the 3.15 design with 16 slots per thread instead of 4. */
    public static VmaCacheDesign<?, ?> sixteen() {
        return new VmaCache16();
    }
}
