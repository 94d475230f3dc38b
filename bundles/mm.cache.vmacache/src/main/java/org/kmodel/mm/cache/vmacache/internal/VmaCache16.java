package org.kmodel.mm.cache.vmacache.internal;

import org.kmodel.mm.VmaCacheDesign;
import org.osgi.service.component.annotations.Component;

/**
 * A comparison point, never in a kernel: 3.15's design with 16 slots per thread instead of 4 (128 bytes per task
 * in the kernel). It fixes the loader-phase thrashing at four times the scan on a miss.
 */
@Component(service = VmaCacheDesign.class, property = VmaCacheDesign.NAME + "=vmacache16")
public class VmaCache16 extends VmaCache {
    public VmaCache16() {
        super(16, PAGE_SHIFT);
    }

    @Override
    public String name() {
        return "vmacache16";
    }

    @Override
    public String description() {
        return "3.15 vmacache with 16 slots per thread (comparison design)";
    }
}
