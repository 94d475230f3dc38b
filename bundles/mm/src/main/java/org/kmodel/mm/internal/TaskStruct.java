package org.kmodel.mm.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.Task;

/**
 * struct task_struct (include/linux/sched.h), the parts mm uses: the mm pointer and the per-task cache state
 * (3.15's {@code vmacache[]} and {@code vmacache_seqnum}). A task's cache state is only touched by lookups made
 * as that task, as in the kernel where only current touches its own vmacache.
 */
final class TaskStruct implements Task {
    final int pid;
    final int tgid;
    final int ppid;
    volatile String comm;
    volatile MmStruct mm;
    final boolean kthread;
    /** The design's task state, the binding and the mm it belongs to; only touched as current. */
    volatile CacheSlot cache;
    /** The user stack pointer a thread was started with (clone's child stack); 0 if not known. */
    volatile long stackPointer;

    TaskStruct(int pid, int tgid, int ppid, String comm, MmStruct mm, boolean kthread) {
        this.pid = pid;
        this.tgid = tgid;
        this.ppid = ppid;
        this.comm = comm;
        this.mm = mm;
        this.kthread = kthread;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int tgid() {
        return tgid;
    }

    @Override
    public int ppid() {
        return ppid;
    }

    @Override
    public String comm() {
        return comm;
    }

    @Override
    public AddressSpace mm() {
        return mm;
    }

    @Override
    public boolean kthread() {
        return kthread;
    }
}
