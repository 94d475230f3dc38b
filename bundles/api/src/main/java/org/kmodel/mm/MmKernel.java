package org.kmodel.mm;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The memory-management part of one kernel instance: tasks, their address spaces and the operations of
 * mm/mmap.c, mm/mprotect.c, mm/mremap.c, kernel/fork.c and fs/exec.c. Every method takes the task doing it
 * ({@code current}) by pid. Each call takes the mm's mmap_sem itself (read for lookups, write for changes), so
 * any Java thread may call it at any time. Failures throw {@code KernelException} with the kernel's errno and
 * change nothing.
 *
 * <p>Two levels. The <b>system calls</b> ({@link #mmap}, {@link #munmap}, {@link #mprotect}, {@link #brk},
 * {@link #mremap}, {@link #madvise}) validate their arguments and make the {@code find_vma} calls the kernel
 * makes. The <b>event level</b> ({@link #mmapRegion}, {@link #doMunmap}, {@link #mprotectRange},
 * {@link #doMremap}) applies a change without the syscall's own lookup; a trace replay uses it, with the
 * trace's explicit {@link #findVma} events.
 */
@ProviderType
public interface MmKernel {
    // ---- tasks -------------------------------------------------------------------------------------------

    /** A new process running {@code comm}, with a fresh mm laid out as the ELF loader would; returns its pid. */
    int spawn(String comm);

    /** exec: {@code pid} gets a new, empty mm (seqnum 0, its cache flushed); returns nothing mapped yet. */
    void exec(int pid, String comm);

    /**
     * fork/clone: {@code child} (or a new pid if {@code child <= 0}) is created from {@code parent}. With
     * {@code cloneVm} it shares the mm (a thread, or vfork); otherwise dup_mmap copies every VMA. Returns the pid.
     */
    int clone(int parent, int child, boolean cloneVm, boolean thread);

    /** exit: the task ends; the mm is torn down when its last user leaves. */
    void exit(int pid);

    /** A kernel thread (PF_KTHREAD) that adopted {@code mmOwner}'s mm with use_mm (aio, vhost). */
    int kthreadUseMm(String comm, int mmOwner);

    Task task(int pid);

    List<Task> tasks();

    // ---- lookups -----------------------------------------------------------------------------------------

    /** find_vma: the first VMA with {@code end > addr} (may not contain addr), or null. Counted; uses the cache. */
    VmArea findVma(int pid, long addr);

    /** find_vma by {@code pid} on the mm of {@code target} (get_user_pages from ptrace or /proc/PID/mem). */
    VmArea findVmaRemote(int pid, int target, long addr);

    /**
     * A user page fault at {@code addr} (arch/x86/mm/fault.c __do_page_fault, VMA part): find_vma, stack
     * growth below a VM_GROWSDOWN VMA, anon_vma_prepare on an anonymous VMA. Throws EFAULT (SIGSEGV) when no
     * VMA covers it.
     */
    VmArea fault(int pid, long addr);

    /** The tree's answer without the cache or counters (for checks and tools). */
    VmArea peekVma(int pid, long addr);

    /** Immutable snapshots of the task's VMAs in address order (what /proc/PID/maps prints). */
    List<VmArea> maps(int pid);

    /** /proc/PID/maps of the task, exactly as the kernel prints it. */
    String procMaps(int pid);

    /**
     * /proc/PID/maps as {@code release} prints it: 3.4 to 4.8 name an anonymous VMA that holds another thread's
     * stack pointer {@code [stack:TID]} (fs/proc/task_mmu.c show_map_vma, vm_is_stack; added by b76437579d13,
     * removed in 4.9 by 65376df58217). The default ignores the release.
     */
    default String procMaps(int pid, org.kmodel.kernel.KernelRelease release) {
        return procMaps(pid);
    }

    /**
     * Where thread {@code tid}'s user stack pointer is (what pthread_create passes to clone as the child stack,
     * KSTK_ESP for the maps file); 0 for none. EINVAL if the provider does not keep stack pointers.
     */
    default void setStackPointer(int tid, long sp) {
        throw new org.kmodel.kernel.KernelException(org.kmodel.kernel.Errno.EINVAL, "stack pointer");
    }

    // ---- system calls ------------------------------------------------------------------------------------

    long mmap(int pid, long addr, long len, int prot, int flags, String file, long offset);

    void munmap(int pid, long addr, long len);

    void mprotect(int pid, long addr, long len, int prot);

    /** brk(2): returns the new break (the old one if the request was refused, as the kernel does). */
    long brk(int pid, long addr);

    long mremap(int pid, long oldAddr, long oldLen, long newLen, int flags, long newAddr);

    /** madvise(2) for advice that changes no VMA (MADV_DONTNEED, ...): one find_vma per VMA in the range. */
    void madvise(int pid, long addr, long len);

    // ---- event level (no syscall lookup) ------------------------------------------------------------------

    /** The ELF loader's {@code mm->start_brk = mm->brk = addr} (set at exec; a replay takes it from the trace). */
    void setStartBrk(int pid, long addr);

    /** mmap_region(): map [start, end) with {@code vmFlags}, replacing whatever was there (MAP_FIXED). */
    void mmapRegion(int pid, long start, long end, int vmFlags, String file, long pgoff);

    /** do_munmap() without its find_vma. */
    void doMunmap(int pid, long start, long end);

    /** The mprotect_fixup() loop over [start, end) without the syscall's find_vma. */
    void mprotectRange(int pid, long start, long end, int prot);

    /** mremap's VMA work when the result {@code newAddr} is known (in place if equal to {@code oldAddr}). */
    void doMremap(int pid, long oldAddr, long oldLen, long newLen, long newAddr);

    // ---- the cache ---------------------------------------------------------------------------------------

    /** The selected design's name ("none" when no design is available). */
    String cacheDesign();

    /** Selects a design by name; EINVAL if no such design is registered. Safe while lookups run. */
    void selectCacheDesign(String name);

    /** Names of the registered designs, sorted. */
    List<String> cacheDesigns();

    /** Counters per design used so far in this instance. */
    List<CacheStats> cacheStats();

    /** The counters of the selected design. */
    CacheStats currentStats();
}
