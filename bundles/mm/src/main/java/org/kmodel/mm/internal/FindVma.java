package org.kmodel.mm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.FindVmaProbe;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;

/**
 * find_vma() (mm/mmap.c) in front of the swappable cache design, and the design's invalidation hooks.
 *
 * <p>Locking: {@link #find} runs with the mm's mmap_sem held for read, so many tasks look up at once and
 * the design may only keep racy hints (3.14's shared mmap_cache) or per-task state touched by its own task
 * (3.15). The hooks run with mmap_sem held for write, so no lookup on that mm runs concurrently with an
 * invalidation. A swap publishes a new {@link CacheBinding}; state from an older binding is replaced on its
 * next use, never consulted. Every hit is re-checked against the VMA itself (same mm, still linked,
 * containing the address): a design bug is counted as a prevented stale hit instead of returning a dead VMA.
 */
final class FindVma implements VmaOps.Hooks {
    private final AtomicLong epochs = new AtomicLong();
    private final Map<String, CacheBinding.Counters> counters = new LinkedHashMap<>();
    private volatile CacheBinding binding;
    /** The attached probes, or null: the unprobed path pays one null check. */
    volatile FindVmaProbe[] probes;

    FindVma(VmaCacheDesign<?, ?> design) {
        select(design);
    }

    void select(VmaCacheDesign<?, ?> design) {
        CacheBinding.Counters c;
        synchronized (counters) {
            c = counters.computeIfAbsent(design.name(), CacheBinding.Counters::new);
        }
        binding = new CacheBinding(design, epochs.incrementAndGet(), c);
    }

    String designName() {
        return binding.design.name();
    }

    VmaCacheDesign<?, ?> design() {
        return binding.design;
    }

    List<CacheStats> stats() {
        List<CacheStats> out = new ArrayList<>();
        synchronized (counters) {
            for (CacheBinding.Counters c : counters.values()) {
                if (c == binding.counters || c.calls.sum() > 0) { // not the boot-time fallback nobody used
                    out.add(c.snapshot());
                }
            }
        }
        return out;
    }

    CacheStats currentStats() {
        return binding.counters.snapshot();
    }

    /**
     * The mm's state for binding {@code b}. A reader that read an older binding just before a swap may still
     * be running next to readers of the new one; it gets a private, empty state instead of replacing the newer
     * binding's state, so states only ever move forward.
     */
    private static Object mmState(MmStruct mm, CacheBinding b) {
        CacheSlot s = mm.cache;
        if (s != null && s.binding == b) {
            return s.state;
        }
        synchronized (mm) { // several readers may race to create it; one wins
            s = mm.cache;
            if (s != null && s.binding == b) {
                return s.state;
            }
            if (s != null && s.binding.epoch > b.epoch) {
                return b.design.newMmState(mm);
            }
            s = new CacheSlot(b, mm, b.design.newMmState(mm), null);
            mm.cache = s;
            return s.state;
        }
    }

    /**
     * The task's state, valid only together with the very mm state object it was made against: if the mm's
     * state was replaced, the task's slots (and their seqnum) belong to a counter that no longer receives
     * invalidations, so they are dropped.
     */
    private static Object taskState(TaskStruct t, MmStruct mm, CacheBinding b, Object ms) {
        CacheSlot s = t.cache;
        if (s != null && s.binding == b && s.mm == mm && s.owner == ms) {
            return s.state;
        }
        Object st = b.design.newTaskState(ms);
        t.cache = new CacheSlot(b, mm, st, ms);
        return st;
    }

    /** find_vma(mm, addr) as {@code cur}, through its patchable site; the caller holds mm's mmap_sem. */
    Vma find(TaskStruct cur, MmStruct mm, long addr) {
        return MmFunctions.findVma(this, cur, mm, addr);
    }

    /** find_vma(mm, addr) as {@code cur}; the caller holds mm's mmap_sem for read (or write). */
    Vma findVma(TaskStruct cur, MmStruct mm, long addr) {
        CacheBinding b = binding;
        CacheBinding.Counters c = b.counters;
        c.calls.increment();
        Object ms = mmState(mm, b);
        Object ts = null;
        if (cur != null && cur.mm == mm && !cur.kthread) { // vmacache_valid_mm()
            ts = taskState(cur, mm, b, ms);
        } else {
            c.foreign.increment();
        }
        VmArea hit = b.design.find(mm, ms, ts, addr);
        if (hit != null) {
            if (hit.mm() == mm && hit.linked() && hit.start() <= addr && addr < hit.end()) {
                c.hits.increment();
                FindVmaProbe[] p = probes;
                if (p != null) {
                    fire(p, cur, mm, addr, hit, true, b);
                }
                return (Vma) hit;
            }
            c.stale.increment();
        }
        Vma v = mm.tree.findVma(addr);
        if (v != null) {
            b.design.update(mm, ms, ts, addr, v);
        } else {
            c.nulls.increment();
        }
        FindVmaProbe[] p = probes;
        if (p != null) {
            fire(p, cur, mm, addr, v, false, b);
        }
        return v;
    }

    private static void fire(
            FindVmaProbe[] p, TaskStruct cur, MmStruct mm, long addr, VmArea v, boolean hit, CacheBinding b) {
        int pid = cur == null ? 0 : cur.pid;
        for (FindVmaProbe probe : p) {
            try {
                probe.findVma(pid, mm, addr, v, hit, b.design.name());
            } catch (RuntimeException e) {
                // a broken probe must not break the lookup it observes
            }
        }
    }

    /** A task starts using {@code mm} as a CLONE_VM child of {@code parent}: copy the parent's slots. */
    void cloneTask(TaskStruct parent, TaskStruct child, MmStruct mm) {
        CacheBinding b = binding;
        CacheSlot ps = parent.cache;
        CacheSlot ms = mm.cache;
        if (ps != null && ps.binding == b && ps.mm == mm && ms != null && ms.binding == b && ps.owner == ms.state) {
            child.cache = new CacheSlot(b, mm, b.design.cloneTaskState(ms.state, ps.state), ms.state);
        }
    }

    /** The task stops using its mm (exit, exec): the design may drop its bookkeeping. */
    void detachTask(TaskStruct t) {
        CacheSlot ts = t.cache;
        t.cache = null;
        if (ts != null && ts.mm.cache != null && ts.mm.cache.state == ts.owner) {
            ts.binding.design.taskDetached(ts.mm.cache.state, ts.state);
        }
    }

    @Override
    public void vmaUnlinked(MmStruct mm, Vma vma, Vma prev) {
        CacheBinding b = binding;
        b.counters.invalidations.increment();
        CacheSlot s = mm.cache;
        if (s != null && s.binding == b) {
            b.design.vmaUnlinked(mm, s.state, vma, prev);
        }
    }

    @Override
    public void vmasDetached(MmStruct mm) {
        CacheBinding b = binding;
        b.counters.invalidations.increment();
        CacheSlot s = mm.cache;
        if (s != null && s.binding == b) {
            b.design.vmasDetached(mm, s.state);
        }
    }
}
