package org.kmodel.vfs;

/** mmap(2) protection and flag values (include/uapi/asm-generic/mman-common.h). */
public final class Mmap {
    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;

    private Mmap() {}
}
