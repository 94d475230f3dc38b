package org.kmodel.kernel;

/**
 * The machine the model runs as: x86_64 with 4 KiB pages (arch/x86/include/asm/page_types.h {@code PAGE_SHIFT},
 * {@code PAGE_SIZE}). The one definition of the page size: the page cache, the filesystems and the mm use it
 * (the names in {@code org.kmodel.vfs.Vfs} and {@code org.kmodel.mm.VmFlags} are aliases of these).
 */
public final class Arch {
    /** {@code uname -m}. */
    public static final String MACHINE = "x86_64";
    /** log2 of the page size. */
    public static final int PAGE_SHIFT = 12;
    /** The page size in bytes. */
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private Arch() {}
}
