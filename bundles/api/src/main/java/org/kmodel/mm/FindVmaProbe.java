package org.kmodel.mm;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A probe on {@code find_vma} (whiteboard service), the hook a tracepoint such as
 * {@code kmodel:find_vma_hit}/{@code kmodel:find_vma_miss} attaches to. The core keeps the attached probes in an array
 * read once per lookup; with none attached a lookup pays one null check. Probes run under mmap_sem held for
 * read, possibly on many threads at once: they must be quick and must not call back into the mm.
 */
@ConsumerType
public interface FindVmaProbe {
    /**
     * @param task the task doing the lookup (its pid)
     * @param mm the address space searched
     * @param addr the address looked up
     * @param result what find_vma returned (null: no VMA at or above addr)
     * @param hit true if the cache answered
     * @param design the cache design in use
     */
    void findVma(int task, AddressSpace mm, long addr, VmArea result, boolean hit, String design);
}
