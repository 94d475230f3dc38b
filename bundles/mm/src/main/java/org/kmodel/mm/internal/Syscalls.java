package org.kmodel.mm.internal;

import static org.kmodel.mm.VmFlags.MAP_ANONYMOUS;
import static org.kmodel.mm.VmFlags.MAP_FIXED;
import static org.kmodel.mm.VmFlags.MAP_GROWSDOWN;
import static org.kmodel.mm.VmFlags.MAP_NORESERVE;
import static org.kmodel.mm.VmFlags.MAP_PRIVATE;
import static org.kmodel.mm.VmFlags.MAP_SHARED;
import static org.kmodel.mm.VmFlags.MAP_TYPE;
import static org.kmodel.mm.VmFlags.MREMAP_FIXED;
import static org.kmodel.mm.VmFlags.MREMAP_MAYMOVE;
import static org.kmodel.mm.VmFlags.PAGE_SHIFT;
import static org.kmodel.mm.VmFlags.PAGE_SIZE;
import static org.kmodel.mm.VmFlags.TASK_SIZE;

import java.util.concurrent.locks.Lock;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.mm.VmFlags;

/**
 * The mm system calls with the kernel's argument checks and their own find_vma calls (sys_mmap_pgoff,
 * sys_munmap, sys_mprotect, sys_brk, sys_mremap, sys_madvise of 3.15). Every check comes before any change.
 */
final class Syscalls {
    /** mmap_min_addr (the usual default). */
    static final long MMAP_MIN_ADDR = 65536;

    private final MmInstance k;

    Syscalls(MmInstance k) {
        this.k = k;
    }

    static boolean isAnonName(String file) {
        return file == null || "anon".equals(file) || "[stack]".equals(file) || "[heap]".equals(file);
    }

    private static KernelException err(Errno e, String what) {
        return new KernelException(e, what);
    }

    long mmap(TaskStruct t, long addr, long len, int prot, int flags, String file, long offset) {
        boolean anon = (flags & MAP_ANONYMOUS) != 0 || file == null;
        int type = flags & MAP_TYPE;
        if ((offset & (PAGE_SIZE - 1)) != 0
                || type != MAP_SHARED && type != MAP_PRIVATE
                || len == 0
                || (prot & ~7) != 0) {
            throw err(Errno.EINVAL, "mmap");
        }
        long alen = VmFlags.pageAlign(len);
        if (alen <= 0 || alen > TASK_SIZE) {
            throw err(Errno.ENOMEM, "mmap");
        }
        long pgoff = offset >>> PAGE_SHIFT;
        if (pgoff + (alen >>> PAGE_SHIFT) < pgoff) {
            throw err(Errno.EOVERFLOW, "mmap");
        }
        int vmFlags = VmFlags.protToVm(prot)
                | (type == MAP_SHARED ? VmFlags.VM_SHARED : 0)
                | ((flags & MAP_NORESERVE) != 0 ? VmFlags.VM_NORESERVE : 0)
                | ((flags & MAP_GROWSDOWN) != 0 ? VmFlags.VM_GROWSDOWN : 0);
        String name = anon ? (type == MAP_SHARED ? "/dev/zero (deleted)" : "anon") : file;
        MmStruct mm = k.mmOf(t.pid);
        Lock w = mm.mmapSem.writeLock();
        w.lock();
        try {
            long start = getUnmappedArea(t, mm, addr, alen, flags);
            if (anon) {
                pgoff = type == MAP_SHARED ? 0 : start >>> PAGE_SHIFT;
            }
            k.ops.mmapRegion(mm, start, start + alen, vmFlags, name, pgoff);
            return start;
        } finally {
            w.unlock();
        }
    }

    /**
     * get_unmapped_area() with arch_get_unmapped_area_topdown(): MAP_FIXED takes addr as is; a hint is used
     * if the range is free (one find_vma); otherwise the highest gap below mmap_base that fits.
     */
    private long getUnmappedArea(TaskStruct t, MmStruct mm, long addr, long len, int flags) {
        if (len > TASK_SIZE) {
            throw err(Errno.ENOMEM, "mmap");
        }
        if ((flags & MAP_FIXED) != 0) {
            if (addr > TASK_SIZE - len) {
                throw err(Errno.ENOMEM, "mmap");
            }
            if (!VmFlags.pageAligned(addr)) {
                throw err(Errno.EINVAL, "mmap");
            }
            return addr;
        }
        if (addr != 0) {
            addr = VmFlags.pageAlign(addr);
            Vma vma = k.findVma.find(t, mm, addr);
            if (addr >= MMAP_MIN_ADDR && TASK_SIZE - len >= addr && (vma == null || addr + len <= vma.start)) {
                return addr;
            }
        }
        long high = mm.mmapBase;
        Vma v = mm.tree.findPrev(high);
        while (true) {
            long low = v == null ? MMAP_MIN_ADDR : v.end;
            if (high > low && high - low >= len) {
                return high - len;
            }
            if (v == null) {
                throw err(Errno.ENOMEM, "mmap");
            }
            high = Math.min(high, v.start);
            v = v.prev;
        }
    }

    private static void checkUnmapArgs(long start, long len, String what) {
        if (!VmFlags.pageAligned(start) || start > TASK_SIZE || len > TASK_SIZE - start || len <= 0) {
            throw err(Errno.EINVAL, what);
        }
    }

    void munmap(TaskStruct t, long start, long len) {
        checkUnmapArgs(start, len, "munmap");
        long end = start + VmFlags.pageAlign(len);
        MmStruct mm = k.mmOf(t.pid);
        Lock w = mm.mmapSem.writeLock();
        w.lock();
        try {
            k.findVma.find(t, mm, start); // do_munmap()'s find_vma
            k.ops.doMunmap(mm, start, end);
        } finally {
            w.unlock();
        }
    }

    void mprotect(TaskStruct t, long start, long len, int prot) {
        if (!VmFlags.pageAligned(start) || (prot & ~7) != 0) {
            throw err(Errno.EINVAL, "mprotect");
        }
        if (len == 0) {
            return;
        }
        long end = start + VmFlags.pageAlign(len);
        if (end <= start || end > TASK_SIZE) {
            throw err(Errno.ENOMEM, "mprotect");
        }
        MmStruct mm = k.mmOf(t.pid);
        Lock w = mm.mmapSem.writeLock();
        w.lock();
        try {
            k.findVma.find(t, mm, start);
            k.changes.mprotectRange(mm, start, end, prot);
        } finally {
            w.unlock();
        }
    }

    /**
     * sys_brk(): below start_brk or unchanged pages need no find_vma; shrinking is do_munmap (find_vma of the
     * new break, an invalidation); growing checks find_vma_intersection(oldbrk) and calls do_brk. A refused
     * request returns the old break, as the kernel does.
     */
    long brk(TaskStruct t, long brk) {
        MmStruct mm = k.mmOf(t.pid);
        Lock w = mm.mmapSem.writeLock();
        w.lock();
        try {
            if (mm.startBrk == 0 && brk != 0) {
                throw err(Errno.ENOMEM, "brk before start_brk is known");
            }
            if (brk < mm.startBrk || brk > TASK_SIZE) {
                return mm.brk;
            }
            long newbrk = VmFlags.pageAlign(brk);
            long oldbrk = VmFlags.pageAlign(mm.brk);
            if (oldbrk != newbrk) {
                if (brk <= mm.brk) {
                    k.findVma.find(t, mm, newbrk);
                    k.ops.doMunmap(mm, newbrk, oldbrk);
                } else {
                    Vma next = k.findVma.find(t, mm, oldbrk);
                    if (next != null && next.start < newbrk + PAGE_SIZE) {
                        return mm.brk;
                    }
                    k.changes.doBrk(mm, oldbrk, newbrk - oldbrk);
                }
            }
            mm.brk = brk;
            return brk;
        } finally {
            w.unlock();
        }
    }

    long mremap(TaskStruct t, long addr, long oldLen, long newLen, int flags, long newAddr) {
        if ((flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE)) != 0
                || (flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0
                || !VmFlags.pageAligned(addr)) {
            throw err(Errno.EINVAL, "mremap");
        }
        oldLen = VmFlags.pageAlign(oldLen);
        newLen = VmFlags.pageAlign(newLen);
        if (newLen == 0 || oldLen < 0 || newLen > TASK_SIZE || addr + oldLen > TASK_SIZE) {
            throw err(Errno.EINVAL, "mremap");
        }
        MmStruct mm = k.mmOf(t.pid);
        Lock w = mm.mmapSem.writeLock();
        w.lock();
        try {
            if ((flags & MREMAP_FIXED) != 0) {
                if (!VmFlags.pageAligned(newAddr)
                        || newAddr > TASK_SIZE - newLen
                        || newAddr < addr + oldLen && addr < newAddr + newLen) {
                    throw err(Errno.EINVAL, "mremap");
                }
            }
            Vma vma = k.findVma.find(t, mm, addr); // vma_to_resize()
            if (vma == null || vma.start > addr || oldLen > vma.end - addr) {
                throw err(Errno.EFAULT, "mremap");
            }
            long target;
            if ((flags & MREMAP_FIXED) != 0) {
                target = newAddr;
            } else if (oldLen >= newLen || expandable(vma, addr, oldLen, newLen)) {
                target = addr;
            } else if ((flags & MREMAP_MAYMOVE) != 0) {
                target = getUnmappedArea(t, mm, 0, newLen, 0);
            } else {
                throw err(Errno.ENOMEM, "mremap");
            }
            k.changes.doMremap(mm, addr, oldLen, newLen, target);
            return target;
        } finally {
            w.unlock();
        }
    }

    /** vma_expandable(): the VMA ends at the old range's end and the pages above are free. */
    private static boolean expandable(Vma vma, long addr, long oldLen, long newLen) {
        long end = addr + newLen;
        return vma.end == addr + oldLen && end <= TASK_SIZE && (vma.next == null || vma.next.start >= end);
    }

    /** sys_madvise() for advice that changes no VMA: one find_vma_prev, ENOMEM if part is unmapped. */
    void madvise(TaskStruct t, long start, long len) {
        if (!VmFlags.pageAligned(start) || len < 0) {
            throw err(Errno.EINVAL, "madvise");
        }
        long end = start + VmFlags.pageAlign(len);
        if (end < start) {
            throw err(Errno.EINVAL, "madvise");
        }
        if (end == start) {
            return;
        }
        MmStruct mm = k.mmOf(t.pid);
        Lock r = mm.mmapSem.readLock();
        r.lock();
        try {
            Vma v = k.findVma.find(t, mm, start);
            long cursor = start;
            for (; v != null && v.start <= cursor && cursor < end; v = v.next) {
                cursor = v.end;
            }
            if (cursor < end) {
                throw err(Errno.ENOMEM, "madvise");
            }
        } finally {
            r.unlock();
        }
    }
}
