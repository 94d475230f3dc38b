package org.kmodel.vfs.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.spi.PageBudget;

/**
 * The model's RAM (mm/page_alloc.c and the reclaim of mm/vmscan.c, in the small). Every page the page cache
 * holds and every tmpfs page is charged here. The budget is a fraction of the JVM's maximum heap, so the model
 * runs out of memory (ENOMEM, ENOSPC for a full tmpfs) before the JVM does. When a charge does not fit, reclaim
 * writes back dirty page-cache pages to their filesystems and drops clean ones, oldest mounts' inodes first,
 * until the low watermark is reached; tmpfs pages cannot be reclaimed (there is no swap), so a model full of
 * them refuses further pages with ENOMEM.
 *
 * <p>Called with the VFS lock held (page-cache paths) or from a filesystem called under it (tmpfs).
 */
final class PageMemory implements PageBudget {
    private final VfsCore core;
    private final long total;
    private final AtomicLong used = new AtomicLong();
    private boolean reclaiming;

    PageMemory(VfsCore core, long totalPages) {
        this.core = core;
        this.total = totalPages;
    }

    /** Half of the JVM's maximum heap: the other half is the JVM's own (class metadata, copies, garbage). */
    static long defaultTotalPages() {
        return Runtime.getRuntime().maxMemory() / 2 / PageCache.PAGE_SIZE;
    }

    @Override
    public long totalPages() {
        return total;
    }

    long usedPages() {
        return used.get();
    }

    @Override
    public void charge(long pages) {
        if (used.get() + pages > total && !reclaiming) {
            reclaim(pages);
        }
        // pages written back during reclaim may need a filesystem page they were promised already: never refuse
        // inside reclaim (the kernel's PF_MEMALLOC reserves play that part)
        if (used.get() + pages > total && !reclaiming) {
            throw new KernelException(Errno.ENOMEM, "out of memory: " + used.get() + " of " + total + " pages in use");
        }
        used.addAndGet(pages);
    }

    @Override
    public void uncharge(long pages) {
        used.addAndGet(-pages);
    }

    /** shrink_page_list in the small: write back, then drop clean cached pages, until a 1/8 margin is free. */
    private void reclaim(long want) {
        long target = Math.max(0, total - total / 8 - want);
        reclaiming = true;
        try {
            for (Mount m : core.mounts.all()) {
                for (VfsInode i : m.inodes()) {
                    if (used.get() <= target) {
                        return;
                    }
                    if (i.cache.nrPages() == 0 || i.type() != FileType.REGULAR) {
                        continue;
                    }
                    try {
                        i.cache.writeback(0, Long.MAX_VALUE, i.size());
                    } catch (KernelException e) {
                        continue; // that file's dirty pages stay (ENOSPC, EIO): the next one may free pages
                    }
                    i.cache.dropClean();
                }
            }
        } finally {
            reclaiming = false;
        }
    }
}
