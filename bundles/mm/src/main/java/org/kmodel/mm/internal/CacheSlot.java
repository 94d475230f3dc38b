package org.kmodel.mm.internal;

/**
 * One design's state in an mm or a task, tied to the binding (design + swap epoch) and the mm it was made
 * for. Published as one immutable object so a reader never pairs a state with the wrong design.
 */
final class CacheSlot {
    final CacheBinding binding;
    final MmStruct mm;
    final Object state;
    /** For a task's slot: the mm state object it was made against (its seqnum partner); null for an mm's. */
    final Object owner;

    CacheSlot(CacheBinding binding, MmStruct mm, Object state, Object owner) {
        this.binding = binding;
        this.mm = mm;
        this.state = state;
        this.owner = owner;
    }
}
