package org.kmodel.vfs.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kmodel.vfs.FileType;

/**
 * The periodic writeback of the flusher threads (mm/page-writeback.c, fs/fs-writeback.c {@code wb_workfn} ->
 * {@code wb_check_old_data_flush}): every {@code vm.dirty_writeback_centisecs} (default 500) the pages of inodes
 * dirty for longer than {@code vm.dirty_expire_centisecs} (default 3000) go to the filesystem, and then each
 * mount gets {@link org.kmodel.vfs.spi.SuperBlock#periodicCommit} so a journaling filesystem commits every
 * {@code commit=} seconds even while idle. Without this, an unsynced change lived only in memory until the next
 * fsync, sync or umount, and a killed process lost it however old it was.
 *
 * <p>The kernel stamps {@code inode->dirtied_when} when an inode first becomes dirty; here the first tick that
 * sees dirty pages stamps it, so an inode is written back between one expire interval and one tick later.
 */
final class Flusher implements AutoCloseable {
    /** System properties that override the sysctl defaults (centiseconds, as in /proc/sys/vm). */
    static final String WRITEBACK_PROPERTY = "kmodel.vm.dirty_writeback_centisecs";

    static final String EXPIRE_PROPERTY = "kmodel.vm.dirty_expire_centisecs";

    private final VfsCore core;
    private final long expireNanos;
    private final ScheduledExecutorService timer;
    /** dirtied_when of inodes that have dirty pages, as first seen by a tick. */
    private final Map<VfsInode, Long> dirtiedWhen = new IdentityHashMap<>();

    private Flusher(VfsCore core, long periodMillis, long expireMillis) {
        this.core = core;
        this.expireNanos = expireMillis * 1_000_000L;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kmodel-flush");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts the flusher; a period of 0 or less disables it (dirty_writeback_centisecs = 0). */
    static Flusher start(VfsCore core, long periodMillis, long expireMillis) {
        return periodMillis <= 0 ? null : new Flusher(core, periodMillis, Math.max(0, expireMillis));
    }

    /** Centiseconds from the system property {@code name}, else {@code dflt}, as milliseconds. */
    static long centisecs(String name, long dflt) {
        try {
            return Long.parseLong(System.getProperty(name, String.valueOf(dflt)).trim()) * 10;
        } catch (NumberFormatException e) {
            return dflt * 10;
        }
    }

    private void tick() {
        synchronized (core.lock) {
            long now = System.nanoTime();
            // rebuilt each tick, so inodes that were evicted or cleaned are forgotten
            Map<VfsInode, Long> stillDirty = new IdentityHashMap<>();
            for (Mount m : core.mounts.all()) {
                try {
                    writebackOld(m, now, stillDirty);
                    m.sb.periodicCommit(now);
                } catch (RuntimeException e) {
                    // a failing device must not stop the flusher or the other mounts (an exception would end
                    // the scheduled task): the next fsync reports the error to its caller
                    java.util.logging.Logger.getLogger("org.kmodel.vfs").fine(m.target + ": periodic writeback: " + e);
                }
            }
            dirtiedWhen.clear();
            dirtiedWhen.putAll(stillDirty);
        }
    }

    private void writebackOld(Mount m, long now, Map<VfsInode, Long> stillDirty) {
        for (VfsInode i : m.inodes()) {
            if (i.type() != FileType.REGULAR || i.cache.nrDirty() == 0) {
                continue;
            }
            Long since = dirtiedWhen.get(i);
            if (since == null) {
                since = now;
            }
            if (now - since >= expireNanos) {
                i.cache.writeback(0, Long.MAX_VALUE, i.size());
            } else {
                stillDirty.put(i, since);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
