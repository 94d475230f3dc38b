package org.kmodel.mm.workload.internal;

import java.util.List;

import org.kmodel.mm.MmService;
import org.kmodel.mm.cache.largest.internal.LargestVmaCache;
import org.kmodel.mm.cache.lru.internal.LruVmaCache;
import org.kmodel.mm.cache.mmapcache.internal.MmapCache;
import org.kmodel.mm.cache.none.internal.NoVmaCache;
import org.kmodel.mm.cache.vmacache.internal.VmaCache;
import org.kmodel.mm.internal.MmComponent;

/** The real mm core with every design, outside OSGi. */
final class Kernels {
    private Kernels() {
    }

    static MmService all() {
        return MmComponent.standalone(List.of(new MmapCache(), new LargestVmaCache(), new VmaCache(),
                new LruVmaCache(), new NoVmaCache(), new org.kmodel.mm.cache.vmacache.internal.VmaCachePmd(),
                new org.kmodel.mm.cache.vmacache.internal.VmaCache16()), null);
    }
}
