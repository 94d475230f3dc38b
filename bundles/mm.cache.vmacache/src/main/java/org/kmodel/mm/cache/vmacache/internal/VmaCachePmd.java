package org.kmodel.mm.cache.vmacache.internal;

import org.kmodel.mm.VmaCacheDesign;
import org.osgi.service.component.annotations.Component;

/**
 * The 4.19 variant (David Rientjes, July 2018): the same four per-thread slots, hashed on the PMD (2 MiB)
 * instead of the page, so the first probe hits more often. The spec's simulation shows the price: small
 * neighbouring VMAs (library segments) share a PMD and evict each other, so the hit rate drops on
 * loader-heavy workloads.
 */
@Component(service = VmaCacheDesign.class, property = VmaCacheDesign.NAME + "=vmacache-pmd")
public class VmaCachePmd extends VmaCache {
    public VmaCachePmd() {
        super(VMACACHE_SIZE, 21);
    }

    @Override
    public String name() {
        return "vmacache-pmd";
    }

    @Override
    public String description() {
        return "4.19 vmacache: 4 per-thread slots hashed by PMD (2 MiB) instead of page";
    }
}
