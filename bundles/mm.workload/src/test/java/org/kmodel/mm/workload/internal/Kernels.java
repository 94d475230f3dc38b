package org.kmodel.mm.workload.internal;

import java.util.List;
import org.kmodel.mm.MmService;
import org.kmodel.mm.cache.largest.testing.TestLargest;
import org.kmodel.mm.cache.lru.testing.TestLru;
import org.kmodel.mm.cache.mmapcache.testing.TestMmapCache;
import org.kmodel.mm.cache.none.testing.TestNoCache;
import org.kmodel.mm.cache.vmacache.testing.TestVmaCache;
import org.kmodel.mm.testing.TestMm;

/** The real mm core with every design, outside OSGi. */
final class Kernels {
    private Kernels() {}

    static MmService all() {
        return TestMm.standalone(
                List.of(
                        TestMmapCache.design(),
                        TestLargest.design(),
                        TestVmaCache.design(),
                        TestLru.design(),
                        TestNoCache.design(),
                        TestVmaCache.pmd(),
                        TestVmaCache.sixteen()),
                null);
    }
}
