package org.kmodel.mm.cache.lru.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;
import org.osgi.service.component.annotations.Component;

/**
 * A per-thread true LRU of four VMAs ("pt-LRU4", a comparison point, never in a kernel): 3.15's per-task slots
 * and seqnum invalidation, but a hit moves the VMA to the front and a miss evicts the least recently used one
 * instead of overwriting a hashed slot. Linus suggested a small pseudo-LRU in the 2013 thread; the price is a
 * write on every hit. A miss puts the tree's answer in front without looking for a copy already cached (a VMA
 * above a gap can be), as vmacache_update() allows duplicates too; this matches the reference simulation
 * (gcc1 trace 85.7 % against its 85.6 %).
 */
@Component(service = VmaCacheDesign.class, property = VmaCacheDesign.NAME + "=lru")
public class LruVmaCache implements VmaCacheDesign<LruVmaCache.MmSeq, LruVmaCache.TaskLru> {
    static final int SIZE = 4;

    /** The mm's invalidation counter (64 bits: cannot wrap). */
    public static final class MmSeq {
        long seqnum;
    }

    /** Most recently used first. */
    public static final class TaskLru {
        long seqnum;
        final VmArea[] slots = new VmArea[SIZE];
    }

    @Override
    public String name() {
        return "lru";
    }

    @Override
    public String description() {
        return "per-thread true LRU, 4 slots, seqnum invalidation (comparison design)";
    }

    @Override
    public MmSeq newMmState(AddressSpace mm) {
        return new MmSeq();
    }

    @Override
    public TaskLru newTaskState(MmSeq ms) {
        TaskLru t = new TaskLru();
        t.seqnum = ms.seqnum;
        return t;
    }

    @Override
    public TaskLru cloneTaskState(MmSeq ms, TaskLru parent) {
        TaskLru t = new TaskLru();
        t.seqnum = parent.seqnum;
        System.arraycopy(parent.slots, 0, t.slots, 0, SIZE);
        return t;
    }

    @Override
    public VmArea find(AddressSpace mm, MmSeq ms, TaskLru t, long addr) {
        if (t == null) {
            return null;
        }
        if (t.seqnum != ms.seqnum) {
            t.seqnum = ms.seqnum;
            java.util.Arrays.fill(t.slots, null);
            return null;
        }
        VmArea[] s = t.slots;
        for (int i = 0; i < SIZE; i++) {
            VmArea v = s[i];
            if (v != null && v.start() <= addr && v.end() > addr) {
                if (i > 0) { // move to front
                    System.arraycopy(s, 0, s, 1, i);
                    s[0] = v;
                }
                return v;
            }
        }
        return null;
    }

    @Override
    public void update(AddressSpace mm, MmSeq ms, TaskLru t, long addr, VmArea vma) {
        if (t == null) {
            return;
        }
        VmArea[] s = t.slots;
        System.arraycopy(s, 0, s, 1, SIZE - 1); // drop the LRU entry
        s[0] = vma;
    }

    @Override
    public void vmaUnlinked(AddressSpace mm, MmSeq ms, VmArea vma, VmArea prev) {
        ms.seqnum = Math.addExact(ms.seqnum, 1);
    }

    @Override
    public void vmasDetached(AddressSpace mm, MmSeq ms) {
        ms.seqnum = Math.addExact(ms.seqnum, 1);
    }
}
