package org.kmodel.mm.internal;

import static org.kmodel.mm.VmFlags.VM_DONTEXPAND;
import static org.kmodel.mm.VmFlags.VM_EXEC;
import static org.kmodel.mm.VmFlags.VM_GROWSDOWN;
import static org.kmodel.mm.VmFlags.VM_READ;
import static org.kmodel.mm.VmFlags.VM_WRITE;

/**
 * What load_elf_binary() (fs/binfmt_elf.c) and ld.so leave behind for a dynamically linked program with
 * address-space randomisation off (setarch -R): the binary's text, RELRO and data, the brk heap base, libc
 * and ld.so with their segments, the vdso and the stack.
 */
final class ElfLayout {
    private static final int R = VM_READ;
    private static final int RW = VM_READ | VM_WRITE;
    private static final int RX = VM_READ | VM_EXEC;
    private static final String LIBC = "/lib/x86_64-linux-gnu/libc-2.19.so";
    private static final String LD = "/lib/x86_64-linux-gnu/ld-2.19.so";

    private ElfLayout() {}

    static void load(MmInstance k, MmStruct mm, String comm) {
        String bin = comm.startsWith("/") ? comm : "/usr/bin/" + comm;
        VmaOps ops = k.ops;
        ops.mmapRegion(mm, 0x400000L, 0x40c000L, RX, bin, 0);
        ops.mmapRegion(mm, 0x60b000L, 0x60c000L, R, bin, 0xb);
        ops.mmapRegion(mm, 0x60c000L, 0x60d000L, RW, bin, 0xc);
        mm.startBrk = 0x1c0d000L;
        mm.brk = mm.startBrk;
        ops.mmapRegion(mm, 0x7ffff7a0d000L, 0x7ffff7bcd000L, RX, LIBC, 0);
        ops.mmapRegion(mm, 0x7ffff7bcd000L, 0x7ffff7dcd000L, 0, LIBC, 0x1c0);
        ops.mmapRegion(mm, 0x7ffff7dcd000L, 0x7ffff7dd1000L, R, LIBC, 0x1c0);
        ops.mmapRegion(mm, 0x7ffff7dd1000L, 0x7ffff7dd3000L, RW, LIBC, 0x1c4);
        ops.mmapRegion(mm, 0x7ffff7dd3000L, 0x7ffff7dd8000L, RW, "anon", 0x7ffff7dd3L);
        ops.mmapRegion(mm, 0x7ffff7dd8000L, 0x7ffff7dfb000L, RX, LD, 0);
        ops.mmapRegion(mm, 0x7ffff7fde000L, 0x7ffff7fe1000L, RW, "anon", 0x7ffff7fdeL);
        ops.mmapRegion(mm, 0x7ffff7ff7000L, 0x7ffff7ffa000L, R | VM_DONTEXPAND, "[vvar]", 0);
        ops.mmapRegion(mm, 0x7ffff7ffa000L, 0x7ffff7ffc000L, RX | VM_DONTEXPAND, "[vdso]", 0);
        ops.mmapRegion(mm, 0x7ffff7ffc000L, 0x7ffff7ffd000L, R, LD, 0x22);
        ops.mmapRegion(mm, 0x7ffff7ffd000L, 0x7ffff7ffe000L, RW, LD, 0x23);
        ops.mmapRegion(mm, 0x7ffff7ffe000L, 0x7ffff7fff000L, RW, "anon", 0x7ffff7ffeL);
        ops.mmapRegion(mm, 0x7ffffffde000L, 0x7ffffffff000L, RW | VM_GROWSDOWN, "[stack]", 0x7ffffffdeL);
        mm.startStack = 0x7fffffffe000L;
        mm.mmapBase = 0x7ffff7a0d000L;
    }
}
