package org.kmodel.mm.internal;

import static org.kmodel.mm.VmFlags.PAGE_SHIFT;
import static org.kmodel.mm.VmFlags.PAGE_SIZE;
import static org.kmodel.mm.VmFlags.VM_ACCOUNT;
import static org.kmodel.mm.VmFlags.VM_EXEC;
import static org.kmodel.mm.VmFlags.VM_GROWSDOWN;
import static org.kmodel.mm.VmFlags.VM_NORESERVE;
import static org.kmodel.mm.VmFlags.VM_READ;
import static org.kmodel.mm.VmFlags.VM_SHARED;
import static org.kmodel.mm.VmFlags.VM_WRITE;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The VMA changes of mm/mprotect.c (mprotect_fixup), mm/mmap.c (do_brk, expand_downwards), mm/mremap.c
 * (move_vma, vma_to_resize) and mm/rmap.c (anon_vma_prepare), on top of {@link VmaOps}. Callers hold
 * mmap_sem for write. Each method validates first and then changes, so a failure leaves the mm untouched.
 */
final class MmChanges {
    /** The default RLIMIT_STACK. */
    static final long RLIMIT_STACK = 8L << 20;

    private final VmaOps ops;
    private final java.util.concurrent.atomic.AtomicLong anonIds;

    MmChanges(VmaOps ops, java.util.concurrent.atomic.AtomicLong anonIds) {
        this.ops = ops;
        this.anonIds = anonIds;
    }

    VmaOps ops() {
        return ops;
    }

    /**
     * The sys_mprotect() loop over [start, end) after its find_vma (mm/mprotect.c). A hole at {@code start}
     * fails with ENOMEM before anything changes; a hole further on fails with ENOMEM <em>after</em> the VMAs
     * before it were changed, as the kernel's loop does (it checks {@code vma->vm_start != nstart} only when it
     * moves to the next VMA). The vm.max_map_count check for the splits is made up front for the part before
     * the first hole (the kernel fails in split_vma with the earlier VMAs already changed; the model refuses
     * the whole call instead, which only differs when the map count is exhausted).
     */
    void mprotectRange(MmStruct mm, long start, long end, int prot) {
        Vma vma = mm.tree.findVma(start);
        if (vma == null || vma.start > start) {
            throw new KernelException(Errno.ENOMEM, "mprotect");
        }
        int splits = 0;
        long cursor = start;
        for (Vma v = vma; cursor < end && v != null && v.start <= cursor; v = v.next) {
            splits += (v.start < start ? 1 : 0) + (v.end > end ? 1 : 0);
            cursor = v.end;
        }
        VmaOps.checkMapCount(mm, splits);
        int vmProt = prot & (VM_READ | VM_WRITE | VM_EXEC);
        Vma prev = start > vma.start ? vma : vma.prev;
        long nstart = start;
        while (true) {
            int newflags = vmProt | (vma.flags & ~(VM_READ | VM_WRITE | VM_EXEC));
            long tmp = Math.min(vma.end, end);
            prev = mprotectFixup(mm, vma, prev, nstart, tmp, newflags);
            nstart = tmp;
            if (nstart < prev.end) {
                nstart = prev.end;
            }
            if (nstart >= end) {
                return;
            }
            vma = prev.next;
            if (vma == null || vma.start != nstart) {
                throw new KernelException(Errno.ENOMEM, "mprotect"); // the part before the hole stays changed
            }
        }
    }

    /**
     * mprotect_fixup(): merge with a neighbour if the new flags allow (vma_merge cases 4 to 8), else split off
     * the part that changes. Gaining write on an unaccounted private mapping charges it (VM_ACCOUNT), and
     * losing write never uncharges, so formerly writable RELRO never merges back with its r-- neighbour.
     * Returns the new {@code *pprev}.
     */
    private Vma mprotectFixup(MmStruct mm, Vma vma, Vma prev, long start, long end, int newflags) {
        int oldflags = vma.flags;
        if (newflags == oldflags) {
            return vma;
        }
        if ((newflags & VM_WRITE) != 0 && (oldflags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE)) == 0) {
            newflags |= VM_ACCOUNT;
        }
        long pgoff = vma.pgoff + ((start - vma.start) >>> PAGE_SHIFT);
        Vma merged = ops.vmaMerge(mm, prev, start, end, newflags, vma.anonVma, vma.file, pgoff);
        if (merged != null) {
            merged.flags = newflags;
            return merged;
        }
        if (start != vma.start) {
            ops.split(mm, vma, start, true);
        }
        if (end != vma.end) {
            ops.split(mm, vma, end, false);
        }
        vma.flags = newflags;
        return vma;
    }

    /**
     * do_brk() (mm/mmap.c): extend the heap by [addr, addr + len): unmap anything in the way, then grow the
     * previous VMA (vma_merge case 2, no invalidation) or add a new one.
     */
    void doBrk(MmStruct mm, long addr, long len) {
        int flags = VM_READ | VM_WRITE | VM_ACCOUNT;
        VmaOps.checkMapCount(mm, 1);
        long end = addr + len;
        Vma overlap = mm.tree.findVma(addr);
        if (overlap != null && overlap.start < end) {
            ops.doMunmap(mm, addr, end);
        }
        Vma prev = mm.tree.findPrev(addr);
        if (ops.vmaMerge(mm, prev, addr, end, flags, 0, "anon", addr >>> PAGE_SHIFT) == null) {
            mm.link(new Vma(mm, addr, end, flags, addr >>> PAGE_SHIFT, "anon"), prev);
        }
    }

    /**
     * expand_downwards() (mm/mmap.c) from the page-fault path: the VM_GROWSDOWN VMA above addr grows down to
     * addr's page. No invalidation: the VMA object stays, only its start moves. Refused beyond RLIMIT_STACK or onto the
     * VMA right below.
     */
    boolean expandStack(MmStruct mm, Vma vma, long addr) {
        if ((vma.flags & VM_GROWSDOWN) == 0) {
            return false;
        }
        long newStart = addr & ~(PAGE_SIZE - 1);
        Vma prev = vma.prev;
        // acct_stack_growth(): RLIMIT_STACK (8 MiB by default); expand_stack(): no growth onto the VMA below
        if (newStart < Syscalls.MMAP_MIN_ADDR
                || vma.end - newStart > RLIMIT_STACK
                || prev != null && prev.end == newStart && (prev.flags & VM_GROWSDOWN) == 0) {
            return false;
        }
        vma.pgoff -= (vma.start - newStart) >>> PAGE_SHIFT;
        vma.setStart(newStart);
        return true;
    }

    /**
     * anon_vma_prepare() (mm/rmap.c) on the first fault in an anonymous private VMA: reuse a compatible
     * neighbour's anon_vma (find_mergeable_anon_vma) or make a new one. From then on, two VMAs with different
     * anon_vmas never merge.
     */
    void anonVmaPrepare(Vma vma) {
        if (vma.anonVma != 0 || !vma.isAnon() || (vma.flags & VM_SHARED) != 0) {
            return;
        }
        Vma n = vma.next;
        if (n != null && anonCompatible(vma, n) && n.anonVma != 0 && !n.anonForked) {
            vma.anonVma = n.anonVma;
            return;
        }
        Vma p = vma.prev;
        if (p != null && anonCompatible(p, vma) && p.anonVma != 0 && !p.anonForked) {
            vma.anonVma = p.anonVma;
            return;
        }
        vma.anonVma = anonIds.incrementAndGet();
    }

    /** anon_vma_compatible(): adjacent, same file, flags equal but for rwx, contiguous pgoff. */
    private static boolean anonCompatible(Vma a, Vma b) {
        return a.end == b.start
                && VmaOps.sameFile(a.file, b.file)
                && ((a.flags ^ b.flags) & ~(VM_READ | VM_WRITE | VM_EXEC)) == 0
                && b.pgoff == a.pgoff + ((b.start - a.start) >>> PAGE_SHIFT);
    }

    /**
     * mremap's VMA work once the destination is known (mm/mremap.c): shrink in place (do_munmap of the tail,
     * which invalidates), grow in place (vma_adjust, which does not), or move: copy_vma() (which may merge at
     * the destination) and then do_munmap() of the old range.
     */
    void doMremap(MmStruct mm, long oldAddr, long oldLen, long newLen, long newAddr) {
        Vma vma = mm.tree.findVma(oldAddr);
        if (vma == null || vma.start > oldAddr || oldLen > vma.end - oldAddr) {
            throw new KernelException(Errno.EFAULT, "mremap");
        }
        if (newAddr == oldAddr) {
            if (newLen < oldLen) {
                ops.doMunmap(mm, oldAddr + newLen, oldAddr + oldLen);
            } else if (newLen > oldLen) {
                Vma next = vma.next;
                if (vma.end != oldAddr + oldLen || next != null && next.start < oldAddr + newLen) {
                    throw new KernelException(Errno.ENOMEM, "mremap");
                }
                vma.setEnd(oldAddr + newLen);
            }
            return;
        }
        VmaOps.checkMapCount(mm, 3);
        long pgoff = vma.pgoff + ((oldAddr - vma.start) >>> PAGE_SHIFT);
        if (vma.isAnon() && vma.anonVma == 0) {
            pgoff = newAddr >>> PAGE_SHIFT; // copy_vma(): an untouched anonymous VMA starts afresh
        }
        long newEnd = newAddr + newLen;
        Vma overlap = mm.tree.findVma(newAddr);
        if (overlap != null && overlap.start < newEnd) {
            ops.doMunmap(mm, newAddr, newEnd); // mremap_to() with MREMAP_FIXED
        }
        Vma prev = mm.tree.findPrev(newAddr);
        Vma moved = ops.vmaMerge(mm, prev, newAddr, newEnd, vma.flags, vma.anonVma, vma.file, pgoff);
        if (moved == null) {
            moved = vma.copyTo(mm);
            moved.setStart(newAddr);
            moved.setEnd(newEnd);
            moved.pgoff = pgoff;
            mm.link(moved, prev);
        }
        ops.doMunmap(mm, oldAddr, oldAddr + oldLen);
    }
}
