package org.kmodel.mm;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A virtual memory area ({@code struct vm_area_struct}, include/linux/mm_types.h): the half-open range
 * [{@link #start()}, {@link #end()}) with one set of flags and one backing. The object is the VMA itself,
 * not a copy: its bounds can change (split, merge, brk and stack growth) while it stays the same VMA, as a
 * kernel pointer does, which is what the cache designs rely on. Read it under the mm's mmap_sem
 * (any {@link MmKernel} call does); {@link MmKernel#maps(int)} gives immutable snapshots.
 */
@ProviderType
public interface VmArea {
    long start();

    long end();

    /** {@code vm_flags}: {@link VmFlags} bits. */
    int flags();

    /** {@code vm_pgoff}: the offset in pages (for anonymous VMAs, the start's page number at creation). */
    long pgoff();

    /** "anon", "[stack]", "[heap]", "[vdso]", a "dev:ino" pair or a path; never null. */
    String file();

    /** The address space this VMA belongs (or belonged) to. */
    AddressSpace mm();

    /** False once the VMA was unlinked from its mm (munmap, merge, exit): a cache must not return it. */
    boolean linked();

    default long length() {
        return end() - start();
    }

    default boolean contains(long addr) {
        return start() <= addr && addr < end();
    }

    /** The {@code rwxp} column of /proc/PID/maps. */
    default String perms() {
        return VmFlags.perms(flags());
    }
}
