package org.kmodel.mm.internal;

import java.util.concurrent.locks.Lock;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.mm.VmFlags;

/**
 * The event-level operations of {@link org.kmodel.mm.MmKernel} (what a trace records: mmap_region, do_munmap,
 * the mprotect_fixup loop, mremap's VMA work, the loader's start_brk) without the system calls' own
 * find_vma, each under mmap_sem held for write.
 */
final class EventLevel {
    private EventLevel() {}

    static void mmapRegion(MmInstance k, int pid, long start, long end, int vmFlags, String file, long pgoff) {
        checkRange(start, end);
        int flags = vmFlags
                | ("[stack]".equals(file)
                        ? VmFlags.VM_GROWSDOWN
                        : file.startsWith("[") ? VmFlags.VM_DONTEXPAND : 0); // install_special_mapping(): vdso, vvar
        MmStruct mm = k.mmOf(pid);
        writeLocked(mm, () -> {
            k.ops.mmapRegion(mm, start, end, flags, file, Syscalls.isAnonName(file) ? start >>> 12 : pgoff);
            if ("[stack]".equals(file) && mm.startStack == 0) {
                mm.startStack = end - VmFlags.PAGE_SIZE;
            }
        });
    }

    static void setStartBrk(MmInstance k, int pid, long addr) {
        if (!VmFlags.pageAligned(addr) || addr <= 0 || addr >= VmFlags.TASK_SIZE) {
            throw new KernelException(Errno.EINVAL, String.format("start_brk %x", addr));
        }
        MmStruct mm = k.mmOf(pid);
        writeLocked(mm, () -> {
            mm.startBrk = addr;
            mm.brk = addr;
        });
    }

    static void doMunmap(MmInstance k, int pid, long start, long end) {
        checkRange(start, end);
        MmStruct mm = k.mmOf(pid);
        writeLocked(mm, () -> {
            k.ops.doMunmap(mm, start, end);
        });
    }

    static void mprotectRange(MmInstance k, int pid, long start, long end, int prot) {
        checkRange(start, end);
        MmStruct mm = k.mmOf(pid);
        writeLocked(mm, () -> {
            k.changes.mprotectRange(mm, start, end, prot);
        });
    }

    static void doMremap(MmInstance k, int pid, long oldAddr, long oldLen, long newLen, long newAddr) {
        checkRange(oldAddr, oldAddr + oldLen);
        checkRange(newAddr, newAddr + newLen);
        MmStruct mm = k.mmOf(pid);
        writeLocked(mm, () -> {
            k.changes.doMremap(mm, oldAddr, oldLen, newLen, newAddr);
        });
    }

    /** Runs {@code op} with mm's mmap_sem held for write. */
    private static void writeLocked(MmStruct mm, Runnable op) {
        Lock w = mm.mmapSem.writeLock();
        w.lock();
        try {
            op.run();
        } finally {
            w.unlock();
        }
    }

    static void checkRange(long start, long end) {
        if (!VmFlags.pageAligned(start)
                || !VmFlags.pageAligned(end)
                || start >= end
                || start < 0
                || end > VmFlags.TASK_SIZE) {
            throw new KernelException(Errno.EINVAL, String.format("range %x-%x", start, end));
        }
    }
}
