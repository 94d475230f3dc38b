package org.kmodel.mm.internal;

import org.kmodel.mm.VmaCacheDesign;

/**
 * The fallback when no design bundle is active: every find_vma walks the tree, as 6.1+ does after
 * "mm: remove vmacache" (the maple tree walk made the cache not worth its bookkeeping). The SPI's defaults are
 * exactly that (no state, every lookup a miss), so this only names it; the {@code none} bundle is the same
 * design as a swappable service.
 */
final class NoCache implements VmaCacheDesign<Object, Object> {
    static final NoCache INSTANCE = new NoCache();

    @Override
    public String name() {
        return "none";
    }

    @Override
    public String description() {
        return "no cache: every find_vma walks the tree (6.1+, built in)";
    }
}
