package org.kmodel.mm.workload.internal;

import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.paramgen.ThreadIdGen;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmFlags;

/**
 * The Lincheck test object: one real mm (the mm core with one cache design) shared by {@link #TASKS} threads
 * of one process. Lincheck thread {@code i} always acts as task {@code pids[i]}, as a kernel thread of the
 * process would, so a per-thread design (vmacache) sees its own slots only. Two non-adjacent slots (few, so that scenarios often look up, unmap and look up again the same one) of
 * {@link #LEN} bytes: no VMA merge or split can happen, so the model stays a plain interval map; replacing
 * a slot (MAP_FIXED) and unmapping it both unlink a VMA and must invalidate the cache.
 */
@Param(name = "slot", gen = IntGen.class, conf = "0:1")
@Param(name = "tag", gen = IntGen.class, conf = "1:2")
@Param(name = "where", gen = IntGen.class, conf = "0:3")
@Param(name = "task", gen = ThreadIdGen.class)
public abstract class MmUnderTest {
    static final int TASKS = 3;
    static final long BASE = 0x10000000L;
    static final long LEN = 0x4000L;
    private final MmKernel k;
    private final int[] pids = new int[TASKS];

    protected MmUnderTest(MmKernel k) {
        this.k = k;
        int leader = k.spawn("lincheck");
        k.exec(leader, "lincheck"); // an empty mm: the model knows every VMA
        pids[0] = leader;
        for (int i = 1; i < TASKS; i++) {
            pids[i] = k.clone(leader, 0, true, true);
        }
    }

    static long start(int slot) {
        return BASE + slot * 0x10000L;
    }

    /**
     * The slot's first, second or last page (three of four lookups can hit a cached VMA), or the gap below it
     * (find_vma returns the VMA above a gap).
     */
    static long addr(int slot, int where) {
        switch (where) {
            case 0:
                return start(slot);
            case 1:
                return start(slot) + 0x1000L;
            case 2:
                return start(slot) + LEN - 1;
            default:
                return start(slot) - 0x8000L;
        }
    }

    static String file(int tag) {
        return "fe:00:" + tag;
    }

    static String describe(long start, long end, String file) {
        return Long.toHexString(start) + "-" + Long.toHexString(end) + " " + file;
    }

    /**
     * ThreadIdGen hands each actor of the parallel part its thread's index, so threads running at the same time
     * are always distinct tasks (as in the kernel, where only current touches its vmacache). The sequential
     * init and post parts may name other indices; any task of the process is fine there.
     */
    private int pid(int task) {
        return pids[task % TASKS];
    }

    @Operation
    public void mmap(@Param(name = "slot") int slot, @Param(name = "tag") int tag, @Param(name = "task") int task) {
        long s = start(slot);
        k.mmapRegion(pid(task), s, s + LEN, VmFlags.VM_READ, file(tag), 0);
    }

    @Operation
    public void munmap(@Param(name = "slot") int slot, @Param(name = "task") int task) {
        long s = start(slot);
        k.doMunmap(pid(task), s, s + LEN);
    }

    @Operation
    public String findVma(
            @Param(name = "slot") int slot, @Param(name = "where") int where, @Param(name = "task") int task) {
        VmArea v = k.findVma(pid(task), addr(slot, where));
        return v == null ? null : describe(v.start(), v.end(), v.file());
    }
}
