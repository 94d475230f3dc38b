package org.kmodel.mm.internal;

import java.util.concurrent.atomic.LongAdder;
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.VmaCacheDesign;

/**
 * The selected cache design for one swap epoch. Selecting a design (even the same one again) makes a new
 * binding, and every mm and task state made under an older binding is dropped on its next use, so state
 * that missed invalidations while another design ran can never produce a hit.
 */
final class CacheBinding {
    final VmaCacheDesign<Object, Object> design;
    final long epoch;
    final Counters counters;

    @SuppressWarnings("unchecked")
    CacheBinding(VmaCacheDesign<?, ?> design, long epoch, Counters counters) {
        this.design = (VmaCacheDesign<Object, Object>) design;
        this.epoch = epoch;
        this.counters = counters;
    }

    /** Per-design counters of one kernel instance; they continue across swaps. */
    static final class Counters {
        final String design;
        final LongAdder calls = new LongAdder();
        final LongAdder hits = new LongAdder();
        final LongAdder nulls = new LongAdder();
        final LongAdder foreign = new LongAdder();
        final LongAdder invalidations = new LongAdder();
        final LongAdder stale = new LongAdder();

        Counters(String design) {
            this.design = design;
        }

        CacheStats snapshot() {
            CacheStats s = new CacheStats();
            s.design = design;
            s.calls = calls.sum();
            s.hits = hits.sum();
            s.nullResults = nulls.sum();
            s.foreign = foreign.sum();
            s.invalidations = invalidations.sum();
            s.staleRejected = stale.sum();
            return s;
        }
    }
}
