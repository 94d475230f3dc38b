package org.kmodel.mm.cache.vmacache.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The 3.15 per-thread VMA cache (mm/vmacache.c, commit 615d6e8756c8 "mm: per-thread vma caching"): four VMA
 * pointers per task, filled at slot {@code (addr >> PAGE_SHIFT) & 3} (the virtual page number), scanned 0 to 3,
 * and invalidated lazily by a per-mm sequence number: an invalidation only bumps {@code mm->vmacache_seqnum};
 * a task whose own seqnum differs flushes its slots at its next lookup and misses. No locks of its own:
 * lookups run under mmap_sem for read and touch only current's slots, invalidations run under it for write.
 *
 * <p>The sequence number is 32 bits, as 3.15 shipped it ({@code u32 vmacache_seqnum} in mm_struct and
 * task_struct): a wrap to 0 flushes the slots of every task of the mm ({@code vmacache_flush_all()} in
 * mm/vmacache.c, 3.15), without 3.16's single-user shortcut (6b4ebc3a9078) that made the wrap exploitable
 * (CVE-2018-17182). {@code seqnum_bits} changes the width: 64 is the fix of 4.19 (7a9cdebdcc17, "mm: get rid of
 * vmacache_flush_all() entirely"), where an overflow throws here instead of wrapping; fewer bits study the wrap.
 * The variants of later kernels ({@code vmacache-pmd}, 4.19) and the model's {@code vmacache16} use 64 bits.
 */
@Component(
        service = VmaCacheDesign.class,
        property = VmaCacheDesign.NAME + "=vmacache",
        configurationPid = "org.kmodel.mm.cache.vmacache")
@Designate(ocd = VmaCache.Config.class)
public class VmaCache implements VmaCacheDesign<VmaCache.MmSeq, VmaCache.TaskCache> {
    static final int VMACACHE_BITS = 2;
    static final int VMACACHE_SIZE = 1 << VMACACHE_BITS;
    static final int PAGE_SHIFT = 12;
    /** {@code u32 vmacache_seqnum} (include/linux/mm_types.h and sched.h, 3.15). */
    static final int SEQNUM_BITS_3_15 = 32;

    /** Slots per task (VMACACHE_SIZE) and the hash shift (PAGE_SHIFT in 3.15, PMD_SHIFT since 4.19). */
    private final int size;

    private final int slotMask;
    private final int hashShift;

    @ObjectClassDefinition(name = "kmodel 3.15 vmacache")
    public @interface Config {
        @AttributeDefinition(
                description = "Width of the sequence counter in bits (3.15 had 32; 64 since 4.19)",
                min = "1",
                max = "64")
        int seqnum_bits() default SEQNUM_BITS_3_15;
    }

    /** mm->vmacache_seqnum, and the tasks using this mm (for vmacache_flush_all on a wrap). */
    public static final class MmSeq {
        long seqnum;
        final Set<TaskCache> tasks = ConcurrentHashMap.newKeySet();
    }

    /** current->vmacache[] and current->vmacache_seqnum. */
    public static final class TaskCache {
        long seqnum;
        final VmArea[] slots;

        TaskCache(int size) {
            slots = new VmArea[size];
        }

        void flush() {
            java.util.Arrays.fill(slots, null);
        }
    }

    private volatile long mask = -1L;
    /** Test-only emulation of 3.16's "mm_users == 1" shortcut in vmacache_flush_all (the CVE's root cause). */
    volatile boolean unsafeSingleUserShortcut;

    public VmaCache() {
        this(VMACACHE_SIZE, PAGE_SHIFT);
        setBits(SEQNUM_BITS_3_15);
    }

    /** A variant with {@code size} slots (a power of two) hashed on {@code addr >> hashShift}. */
    protected VmaCache(int size, int hashShift) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + size);
        }
        this.size = size;
        this.slotMask = size - 1;
        this.hashShift = hashShift;
    }

    VmaCache(int bits) {
        this();
        setBits(bits);
    }

    /** A design with a narrow counter, for wrap tests outside OSGi (DS uses the seqnum_bits configuration). */
    public static VmaCache withSeqnumBits(int bits) {
        return new VmaCache(bits);
    }

    /** Not named activate(): SCR would call that by default on the subclassed variants too. */
    @Activate
    @Modified
    void configure(Config c) {
        setBits(c.seqnum_bits());
    }

    private void setBits(int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("seqnum_bits " + bits);
        }
        mask = bits == 64 ? -1L : (1L << bits) - 1;
    }

    @Override
    public String name() {
        return "vmacache";
    }

    @Override
    public String description() {
        return "3.15 vmacache: 4 per-thread slots hashed by page number, seqnum invalidation";
    }

    @Override
    public MmSeq newMmState(AddressSpace mm) {
        return new MmSeq(); // dup_mmap()/exec_mmap(): vmacache_seqnum = 0
    }

    @Override
    public TaskCache newTaskState(MmSeq ms) {
        TaskCache t = new TaskCache(size);
        t.seqnum = ms.seqnum;
        ms.tasks.add(t);
        return t;
    }

    @Override
    public TaskCache cloneTaskState(MmSeq ms, TaskCache parent) {
        TaskCache t = new TaskCache(size); // dup_task_struct(): a CLONE_VM child starts with the parent's slots
        t.seqnum = parent.seqnum;
        System.arraycopy(parent.slots, 0, t.slots, 0, size);
        ms.tasks.add(t);
        return t;
    }

    @Override
    public void taskDetached(MmSeq ms, TaskCache t) {
        ms.tasks.remove(t);
    }

    /** vmacache_find(): vmacache_valid() first (lazy flush on a seqnum change), then a linear scan. */
    @Override
    public VmArea find(AddressSpace mm, MmSeq ms, TaskCache t, long addr) {
        if (t == null) {
            return null; // !vmacache_valid_mm(): foreign mm or kernel thread
        }
        if (t.seqnum != ms.seqnum) {
            t.seqnum = ms.seqnum;
            t.flush();
            return null;
        }
        VmArea[] s = t.slots;
        for (int i = 0; i < s.length; i++) {
            VmArea v = s[i];
            if (v != null && v.start() <= addr && v.end() > addr) {
                return v;
            }
        }
        return null;
    }

    /** vmacache_update(): overwrite the hashed slot with the tree's answer; duplicates allowed. */
    @Override
    public void update(AddressSpace mm, MmSeq ms, TaskCache t, long addr, VmArea vma) {
        if (t != null) {
            t.slots[(int) (addr >>> hashShift) & slotMask] = vma;
        }
    }

    @Override
    public void vmaUnlinked(AddressSpace mm, MmSeq ms, VmArea vma, VmArea prev) {
        invalidate(mm, ms);
    }

    @Override
    public void vmasDetached(AddressSpace mm, MmSeq ms) {
        invalidate(mm, ms);
    }

    /**
     * vmacache_invalidate(): bump the mm's seqnum. With 64 bits it cannot wrap in any run (an overflow throws
     * rather than wrap). With 32 (3.15) or fewer bits a wrap to 0 must flush every task of the mm, whatever the
     * number of users now: a single user may clone a thread later, and that thread can drive the counter
     * back to a value the first task still holds (CVE-2018-17182).
     */
    private void invalidate(AddressSpace mm, MmSeq ms) {
        long m = mask;
        if (m == -1L) {
            ms.seqnum = Math.addExact(ms.seqnum, 1);
            return;
        }
        ms.seqnum = (ms.seqnum + 1) & m;
        if (ms.seqnum == 0) {
            if (unsafeSingleUserShortcut && mm.users() == 1) {
                return;
            }
            for (TaskCache t : ms.tasks) { // vmacache_flush_all()
                t.flush();
            }
        }
    }
}
