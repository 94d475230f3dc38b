package org.kmodel.mm;

/**
 * Counters of one cache design in one kernel instance ({@code /proc/vmstat} vmacache_find_calls and
 * vmacache_find_hits, plus what a reproduction needs). Counted over every find_vma call.
 */
public final class CacheStats {
    public String design;
    /** vmacache_find_calls: every find_vma made while this design was selected. */
    public long calls;
    /** vmacache_find_hits. */
    public long hits;
    /** Lookups whose result was null (no VMA at or above the address). */
    public long nullResults;
    /** Lookups on a foreign mm or from a kernel thread ({@code vmacache_valid_mm()} false). */
    public long foreign;
    /** Cache invalidations (3.15 vmacache_invalidate points: munmap detaches and merges that free a VMA). */
    public long invalidations;
    /** Hits the core's re-check refused (wrong mm, unlinked, not containing): must stay 0. */
    public long staleRejected;

    public double hitRate() {
        return calls == 0 ? 0.0 : 100.0 * hits / calls;
    }

    @Override
    public String toString() {
        return String.format("%s: %d/%d hits (%.2f %%)", design, hits, calls, hitRate());
    }
}
