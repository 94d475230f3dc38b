package org.kmodel.mm;

/**
 * The {@code vm_flags} bits (include/linux/mm.h) and {@code mmap()} constants (include/uapi/asm-generic/mman*.h)
 * the model uses. Values are the kernel's, so masks read the same as in kernel source.
 */
public final class VmFlags {
    /** {@link org.kmodel.kernel.Arch#PAGE_SHIFT}. */
    public static final int PAGE_SHIFT = org.kmodel.kernel.Arch.PAGE_SHIFT;
    /** {@link org.kmodel.kernel.Arch#PAGE_SIZE}, as a long for address arithmetic. */
    public static final long PAGE_SIZE = org.kmodel.kernel.Arch.PAGE_SIZE;
    /** x86-64 TASK_SIZE with 4-level page tables. */
    public static final long TASK_SIZE = 0x7ffffffff000L;

    public static final int VM_READ = 0x1;
    public static final int VM_WRITE = 0x2;
    public static final int VM_EXEC = 0x4;
    public static final int VM_SHARED = 0x8;
    public static final int VM_GROWSDOWN = 0x100;
    public static final int VM_PFNMAP = 0x400;
    public static final int VM_IO = 0x4000;
    public static final int VM_DONTEXPAND = 0x40000;
    public static final int VM_ACCOUNT = 0x100000;
    public static final int VM_NORESERVE = 0x200000;
    public static final int VM_MIXEDMAP = 0x10000000;
    /** VM_SPECIAL: never merged (mm.h). */
    public static final int VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_TYPE = 0x0f;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_GROWSDOWN = 0x100;
    public static final int MAP_NORESERVE = 0x4000;

    public static final int MREMAP_MAYMOVE = 1;
    public static final int MREMAP_FIXED = 2;

    private VmFlags() {}

    /** The {@code rwxp}/{@code rwxs} column of /proc/PID/maps (fs/proc/task_mmu.c show_map_vma). */
    public static String perms(int flags) {
        char[] c = {
            (flags & VM_READ) != 0 ? 'r' : '-',
            (flags & VM_WRITE) != 0 ? 'w' : '-',
            (flags & VM_EXEC) != 0 ? 'x' : '-',
            (flags & VM_SHARED) != 0 ? 's' : 'p'
        };
        return new String(c);
    }

    /** calc_vm_prot_bits(): PROT_* to VM_READ/WRITE/EXEC (the same bit values). */
    public static int protToVm(int prot) {
        return prot & (VM_READ | VM_WRITE | VM_EXEC);
    }

    public static long pageAlign(long len) {
        return (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    }

    public static boolean pageAligned(long addr) {
        return (addr & (PAGE_SIZE - 1)) == 0;
    }
}
