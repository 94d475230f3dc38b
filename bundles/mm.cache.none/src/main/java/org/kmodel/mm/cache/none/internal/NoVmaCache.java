package org.kmodel.mm.cache.none.internal;

import org.kmodel.mm.VmaCacheDesign;
import org.osgi.service.component.annotations.Component;

/**
 * No cache (6.1, "mm: remove vmacache", Liam Howlett): every find_vma walks the tree. With a shallow,
 * cache-friendly tree the walk is cheap and keeping hints coherent across every VMA change was pure overhead.
 * Compare it by cost per lookup, not by hit rate (0 % by definition). The SPI's no-op defaults are the whole
 * design: no state, every lookup a miss, nothing to invalidate.
 */
@Component(service = VmaCacheDesign.class, property = VmaCacheDesign.NAME + "=none")
public class NoVmaCache implements VmaCacheDesign<Object, Object> {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public String description() {
        return "6.1+: no cache, every find_vma walks the tree";
    }
}
