package org.kmodel.vfs.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The model's memory, counted in pages ({@code totalram_pages} and the page allocator, mm/page_alloc.c): the
 * page cache and every filesystem that keeps data in memory (tmpfs) charge their pages here, so one budget,
 * sized from the JVM heap, runs out with ENOMEM before the JVM does. Charging may first make the VFS write
 * back and evict clean page-cache pages (reclaim). Reached through {@link MountContext#memory()}.
 */
@ProviderType
public interface PageBudget {
    /** A budget that never refuses, for a filesystem mounted outside a VFS (tests): 8 GiB of pages. */
    PageBudget UNLIMITED = new PageBudget() {
        @Override
        public long totalPages() {
            return (8L << 30) / 4096;
        }

        @Override
        public void charge(long pages) {}

        @Override
        public void uncharge(long pages) {}
    };

    /** The model's RAM in 4 KiB pages (what tmpfs's default size and {@code size=N%} are computed from). */
    long totalPages();

    /** Takes {@code pages}, reclaiming page cache first if needed; ENOMEM, taking nothing, if they do not fit. */
    void charge(long pages);

    /** Gives back pages charged earlier. */
    void uncharge(long pages);
}
