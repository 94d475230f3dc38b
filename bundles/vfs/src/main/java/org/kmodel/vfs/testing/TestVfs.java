package org.kmodel.vfs.testing;

import java.util.List;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.internal.VfsCore;
import org.kmodel.vfs.spi.FileSystemType;

/** The VFS bundle's core for a test or benchmark that runs without OSGi. */
public final class TestVfs {
    private TestVfs() {}

    /**
     * A VFS of {@code release} with {@code types} registered in order, each with ranking 0 and the service ids
     * 1, 2, ... (as the bundle's component registers the filesystem services it finds).
     */
    public static Vfs boot(KernelRelease release, FileSystemType... types) {
        VfsCore vfs = new VfsCore(release);
        for (int i = 0; i < types.length; i++) {
            vfs.registerFilesystem(types[i], 0, i + 1);
        }
        return vfs;
    }

    /** RLIMIT_FSIZE of the model's process, for a VFS {@link #boot} made (the limit past which writes fail EFBIG). */
    public static void setRlimitFsize(Vfs vfs, long bytes) {
        core(vfs).setRlimitFsize(bytes);
    }

    /** The model's RAM in pages, for a VFS {@link #boot} made: what the page cache and tmpfs may charge. */
    public static void setMemoryPages(Vfs vfs, long pages) {
        core(vfs).setMemoryPages(pages);
    }

    /** Pages charged to the model's RAM now (page cache and tmpfs), for a VFS {@link #boot} made. */
    public static long memoryUsedPages(Vfs vfs) {
        return core(vfs).memoryUsedPages();
    }

    /**
     * The flusher's periodic writeback (fs/fs-writeback.c {@code wb_check_old_data_flush}) for a VFS {@link #boot}
     * made: every {@code periodMillis} the pages dirty for longer than {@code expireMillis} are written back and each
     * mount may commit, as the bundle's component starts it. Closing it stops it.
     */
    public static AutoCloseable startFlusher(Vfs vfs, long periodMillis, long expireMillis) {
        return core(vfs).startFlusher(periodMillis, expireMillis);
    }

    /**
     * What the VFS does when it goes away (reboot after sync, {@code umount -a}) for a VFS {@link #boot} made: every
     * dirty page written back, every mount unmounted. Returns the failures.
     */
    public static List<String> shutdown(Vfs vfs) {
        return core(vfs).shutdown();
    }

    private static VfsCore core(Vfs vfs) {
        if (!(vfs instanceof VfsCore core)) {
            throw new IllegalArgumentException("not a VFS TestVfs.boot made: " + vfs);
        }
        return core;
    }
}
