package org.kmodel.mm.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.FindVmaProbe;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.Task;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;

/**
 * One kernel instance's mm subsystem: the task list (kernel/fork.c, fs/exec.c, kernel/exit.c) and the
 * lookups and changes of mm/*.c, each under the right half of the mm's mmap_sem. System calls with argument
 * checking are in {@link Syscalls}.
 */
class MmInstance implements MmKernel {
    final Map<Integer, TaskStruct> tasks = new ConcurrentHashMap<>();
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final AtomicLong mmIds = new AtomicLong();
    private final DesignRegistry designs;
    final FindVma findVma;
    final MmChanges changes;
    final VmaOps ops;
    private final Syscalls syscalls;
    /** tasklist_lock: task creation and exit, and mm_users. */
    private final Object tasklist = new Object();

    /** An instance choosing among {@code designs}; null for {@link MmComponent}, which is its own registry. */
    MmInstance(DesignRegistry designs, VmaCacheDesign<?, ?> initial) {
        this.designs = designs != null ? designs : (DesignRegistry) this;
        this.findVma = new FindVma(initial == null ? NoCache.INSTANCE : initial);
        this.ops = new VmaOps(findVma);
        this.changes = new MmChanges(ops, new AtomicLong());
        this.syscalls = new Syscalls(this);
    }

    void probes(FindVmaProbe[] probes) {
        findVma.probes = probes == null || probes.length == 0 ? null : probes;
    }

    // ---- tasks -------------------------------------------------------------------------------------------

    TaskStruct current(int pid) {
        TaskStruct t = tasks.get(pid);
        if (t == null) {
            throw new KernelException(Errno.ESRCH, "pid " + pid);
        }
        return t;
    }

    MmStruct mmOf(int pid) {
        return mmOf(current(pid));
    }

    static MmStruct mmOf(TaskStruct t) {
        MmStruct mm = t.mm;
        if (mm == null) {
            throw new KernelException(Errno.EFAULT, "pid " + t.pid + " has no mm");
        }
        return mm;
    }

    private int allocPid(int wanted) {
        if (wanted > 0) {
            if (tasks.containsKey(wanted)) {
                throw new KernelException(Errno.EEXIST, "pid " + wanted);
            }
            nextPid.accumulateAndGet(wanted + 1, Math::max);
            return wanted;
        }
        int pid;
        do {
            pid = nextPid.getAndIncrement();
        } while (tasks.containsKey(pid));
        return pid;
    }

    MmStruct newMm() {
        return new MmStruct(mmIds.incrementAndGet());
    }

    @Override
    public int spawn(String comm) {
        synchronized (tasklist) {
            int pid = allocPid(0);
            MmStruct mm = newMm();
            mm.users = 1;
            ElfLayout.load(this, mm, comm);
            tasks.put(pid, new TaskStruct(pid, pid, pid == 1 ? 0 : 1, comm, mm, false));
            return pid;
        }
    }

    @Override
    public void exec(int pid, String comm) {
        synchronized (tasklist) {
            TaskStruct t = current(pid);
            if (t.kthread) {
                throw new KernelException(Errno.EINVAL, "exec in a kernel thread");
            }
            MmStruct old = t.mm;
            findVma.detachTask(t); // exec_mmap(): vmacache_flush(tsk); the new mm starts at seqnum 0
            t.mm = newMm();
            t.mm.users = 1;
            t.comm = comm;
            mmput(old);
        }
    }

    @Override
    public int clone(int parent, int child, boolean cloneVm, boolean thread) {
        synchronized (tasklist) {
            TaskStruct p = current(parent);
            if (p.mm == null) {
                throw new KernelException(Errno.EINVAL, "clone of a task without mm");
            }
            int pid = allocPid(child);
            MmStruct mm = cloneVm ? p.mm : DupMmap.dup(this, p.mm);
            if (cloneVm) {
                mm.users++;
            } else {
                mm.users = 1;
            }
            TaskStruct c = new TaskStruct(pid, thread ? p.tgid : pid, thread ? p.ppid : p.tgid, p.comm, mm, false);
            if (cloneVm) {
                findVma.cloneTask(p, c, mm); // dup_task_struct copies vmacache[] and the seqnum
            }
            tasks.put(pid, c);
            return pid;
        }
    }

    @Override
    public void exit(int pid) {
        synchronized (tasklist) {
            TaskStruct t = current(pid);
            findVma.detachTask(t);
            tasks.remove(pid);
            MmStruct mm = t.mm;
            t.mm = null;
            mmput(mm);
        }
    }

    @Override
    public int kthreadUseMm(String comm, int mmOwner) {
        synchronized (tasklist) {
            MmStruct mm = mmOf(mmOwner);
            int pid = allocPid(0);
            mm.users++;
            tasks.put(pid, new TaskStruct(pid, pid, 2, comm, mm, true));
            return pid;
        }
    }

    /** mmput(): the last user tears the mm down (exit_mmap); its VMAs become unlinked for any cache. */
    private void mmput(MmStruct mm) {
        if (mm == null || --mm.users > 0) {
            return;
        }
        Lock w = mm.mmapSem.writeLock();
        w.lock();
        try {
            for (Vma v : mm.vmas()) {
                mm.unlink(v);
            }
            mm.dead = true;
        } finally {
            w.unlock();
        }
    }

    @Override
    public Task task(int pid) {
        return tasks.get(pid);
    }

    @Override
    public List<Task> tasks() {
        List<Task> out = new ArrayList<>(tasks.values());
        out.sort(Comparator.comparingInt(Task::pid));
        return out;
    }

    // ---- lookups -----------------------------------------------------------------------------------------

    @Override
    public VmArea findVma(int pid, long addr) {
        TaskStruct t = current(pid);
        MmStruct mm = mmOf(t);
        Lock r = mm.mmapSem.readLock();
        r.lock();
        try {
            return findVma.find(t, mm, addr);
        } finally {
            r.unlock();
        }
    }

    @Override
    public VmArea findVmaRemote(int pid, int target, long addr) {
        TaskStruct t = current(pid);
        MmStruct mm = mmOf(target);
        Lock r = mm.mmapSem.readLock();
        r.lock();
        try {
            return findVma.find(t, mm, addr);
        } finally {
            r.unlock();
        }
    }

    @Override
    public VmArea fault(int pid, long addr) {
        TaskStruct t = current(pid);
        MmStruct mm = mmOf(t);
        Vma v;
        Lock r = mm.mmapSem.readLock();
        r.lock();
        try {
            v = findVma.find(t, mm, addr);
            if (v != null && v.start <= addr && (v.anonVma != 0 || !v.isAnon())) {
                return v;
            }
        } finally {
            r.unlock();
        }
        if (v == null) {
            throw new KernelException(Errno.EFAULT, String.format("segfault at %x", addr));
        }
        return faultSlowPath(mm, addr);
    }

    /**
     * The parts of a fault that change a VMA (expand_stack, anon_vma_prepare). The kernel does them under
     * mmap_sem for read with finer locks; the model takes mmap_sem for write and repeats the tree walk (not
     * counted: find_vma was already made).
     */
    private Vma faultSlowPath(MmStruct mm, long addr) {
        Lock w = mm.mmapSem.writeLock();
        w.lock();
        try {
            Vma v = mm.tree.findVma(addr);
            if (v == null || v.start > addr && !changes.expandStack(mm, v, addr)) {
                throw new KernelException(Errno.EFAULT, String.format("segfault at %x", addr));
            }
            changes.anonVmaPrepare(v);
            return v;
        } finally {
            w.unlock();
        }
    }

    @Override
    public VmArea peekVma(int pid, long addr) {
        MmStruct mm = mmOf(pid);
        Lock r = mm.mmapSem.readLock();
        r.lock();
        try {
            Vma v = mm.tree.findVma(addr);
            return v == null ? null : VmaSnapshot.of(v, mm);
        } finally {
            r.unlock();
        }
    }

    @Override
    public List<VmArea> maps(int pid) {
        MmStruct mm = mmOf(pid);
        Lock r = mm.mmapSem.readLock();
        r.lock();
        try {
            List<VmArea> out = new ArrayList<>(mm.tree.size());
            for (Vma v = mm.mmap; v != null; v = v.next) {
                out.add(VmaSnapshot.of(v, mm));
            }
            return out;
        } finally {
            r.unlock();
        }
    }

    @Override
    public String procMaps(int pid) {
        return ProcMaps.format(maps(pid));
    }

    /**
     * 3.4-4.8 (fs/proc/task_mmu.c show_map_vma for /proc/PID/maps): an anonymous VMA holding the stack pointer
     * of another thread of the group, and not the process stack ({@code mm->start_stack}), is
     * {@code [stack:TID]}.
     */
    @Override
    public String procMaps(int pid, org.kmodel.kernel.KernelRelease release) {
        List<VmArea> vmas = maps(pid);
        if (!release.atLeast(3, 4) || release.atLeast(4, 9)) {
            return ProcMaps.format(vmas);
        }
        TaskStruct leader = current(pid);
        MmStruct mm = leader.mm;
        java.util.Map<VmArea, String> names = new java.util.HashMap<>();
        synchronized (tasklist) {
            for (TaskStruct t : tasks.values()) {
                if (t.tgid != leader.tgid || t.pid == t.tgid || t.stackPointer == 0 || t.mm != mm) {
                    continue;
                }
                for (VmArea v : vmas) {
                    boolean processStack = v.start() <= mm.startStack && v.end() >= mm.startStack;
                    if (v.start() <= t.stackPointer
                            && t.stackPointer < v.end()
                            && !processStack
                            && Syscalls.isAnonName(v.file())) {
                        names.putIfAbsent(v, "[stack:" + t.pid + "]");
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (VmArea v : vmas) {
            sb.append(ProcMaps.line(v, names.get(v))).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void setStackPointer(int tid, long sp) {
        synchronized (tasklist) {
            current(tid).stackPointer = sp;
        }
    }

    // ---- system calls ------------------------------------------------------------------------------------

    @Override
    public long mmap(int pid, long addr, long len, int prot, int flags, String file, long offset) {
        return syscalls.mmap(current(pid), addr, len, prot, flags, file, offset);
    }

    @Override
    public void munmap(int pid, long addr, long len) {
        syscalls.munmap(current(pid), addr, len);
    }

    @Override
    public void mprotect(int pid, long addr, long len, int prot) {
        syscalls.mprotect(current(pid), addr, len, prot);
    }

    @Override
    public long brk(int pid, long addr) {
        return syscalls.brk(current(pid), addr);
    }

    @Override
    public long mremap(int pid, long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        return syscalls.mremap(current(pid), oldAddr, oldLen, newLen, flags, newAddr);
    }

    @Override
    public void madvise(int pid, long addr, long len) {
        syscalls.madvise(current(pid), addr, len);
    }

    // ---- event level (EventLevel) ------------------------------------------------------------------------

    @Override
    public void setStartBrk(int pid, long addr) {
        EventLevel.setStartBrk(this, pid, addr);
    }

    @Override
    public void mmapRegion(int pid, long start, long end, int vmFlags, String file, long pgoff) {
        EventLevel.mmapRegion(this, pid, start, end, vmFlags, file, pgoff);
    }

    @Override
    public void doMunmap(int pid, long start, long end) {
        EventLevel.doMunmap(this, pid, start, end);
    }

    @Override
    public void mprotectRange(int pid, long start, long end, int prot) {
        EventLevel.mprotectRange(this, pid, start, end, prot);
    }

    @Override
    public void doMremap(int pid, long oldAddr, long oldLen, long newLen, long newAddr) {
        EventLevel.doMremap(this, pid, oldAddr, oldLen, newLen, newAddr);
    }

    // ---- the cache ---------------------------------------------------------------------------------------

    @Override
    public String cacheDesign() {
        return findVma.designName();
    }

    @Override
    public void selectCacheDesign(String name) {
        VmaCacheDesign<?, ?> d = designs.get(name);
        if (d == null && "none".equals(name)) {
            d = NoCache.INSTANCE;
        }
        if (d == null) {
            throw new KernelException(
                    Errno.EINVAL,
                    "unknown cache design '" + name + "' (known: " + String.join(", ", cacheDesigns()) + ")");
        }
        findVma.select(d);
    }

    @Override
    public List<String> cacheDesigns() {
        List<String> names = new ArrayList<>(designs.names());
        if (!names.contains("none")) {
            names.add("none");
        }
        names.sort(null);
        return names;
    }

    @Override
    public List<CacheStats> cacheStats() {
        return findVma.stats();
    }

    @Override
    public CacheStats currentStats() {
        return findVma.currentStats();
    }
}
