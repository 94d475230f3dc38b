package org.kmodel.fs.proc.internal;

import java.util.List;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * A procfs or sysfs instance (fs/proc/root.c, fs/sysfs/mount.c): no storage at all; every inode is made on
 * lookup from the whiteboard, so several mounts of /proc show the same files.
 */
final class ProcSuperBlock implements SuperBlock {
    static final long PROC_SUPER_MAGIC = 0x9fa0L;
    static final long SYSFS_MAGIC = 0x62656572L;

    final ProcTree tree;
    private final FsCapabilities caps;
    private final String options;
    private final ProcDirInode root;

    ProcSuperBlock(ProcTree tree, long magic, boolean readOnly) {
        this.tree = tree;
        this.caps = FsCapabilities.builder().magic(magic).build();
        this.options = readOnly ? "ro,relatime" : "rw,relatime";
        this.root = new ProcDirInode(this, List.of());
    }

    /** A stable inode number per path (proc_alloc_inum is dynamic; stability is what matters here). */
    static long inoOf(List<String> path) {
        return path.isEmpty() ? 1 : 2 + (String.join("/", path).hashCode() & 0x7fffffffL);
    }

    @Override
    public Inode root() {
        return root;
    }

    @Override
    public FsCapabilities capabilities() {
        return caps;
    }

    @Override
    public StatFs statfs() {
        return new StatFs(caps.magic(), 4096, 0, 0, 0, 0, 0, 255);
    }

    @Override
    public String mountOptions() {
        return options;
    }
}
