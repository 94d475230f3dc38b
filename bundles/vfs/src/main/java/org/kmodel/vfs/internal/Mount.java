package org.kmodel.vfs.internal;

import java.util.HashMap;
import java.util.Map;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * A mount ({@code struct mount}, fs/mount.h): a super block attached at a directory of its parent mount.
 * It also holds the in-memory inode table of its super block ({@code sb->s_inodes}), keyed by ino, so that
 * every path to a file (hard links included) finds one page cache.
 */
final class Mount {
    final int id;
    final String source;
    /**
     * What /proc/mounts and df show as the source: the source itself, or for a block filesystem mounted from
     * an image file the loop device mount(8) attached it to ({@code /dev/loopN}, as util-linux's loop
     * auto-setup does; show_vfsmnt prints the super block's device name, never the backing file).
     */
    String device;

    final String fsType;
    final FileSystemType type;
    final SuperBlock sb;
    final long dev;
    final Mount parent;
    final VfsInode mountpoint;
    /** The absolute path of the mount point, as /proc/mounts shows it. */
    String target;

    final VfsInode root;
    /** The module whose reference this mount holds ({@code fs->owner}), or null. */
    String module;

    private final Map<Long, VfsInode> inodes = new HashMap<>();
    /** The model's memory this mount's page cache is charged to (set by the VFS right after the mount). */
    volatile org.kmodel.vfs.spi.PageBudget memory = org.kmodel.vfs.spi.PageBudget.UNLIMITED;

    Mount(
            int id,
            String source,
            String fsType,
            FileSystemType type,
            SuperBlock sb,
            long dev,
            Mount parent,
            VfsInode mountpoint,
            String target) {
        this.id = id;
        this.source = source;
        this.device = source;
        this.fsType = fsType;
        this.type = type;
        this.sb = sb;
        this.dev = dev;
        this.parent = parent;
        this.mountpoint = mountpoint;
        this.target = target;
        this.root = iget(sb.root());
    }

    /** {@code iget}: the one in-memory inode for this filesystem inode. */
    VfsInode iget(Inode fsInode) {
        return inodes.computeIfAbsent(fsInode.ino(), ino -> new VfsInode(this, fsInode));
    }

    Iterable<VfsInode> inodes() {
        return inodes.values();
    }

    /** {@code iput} of the last user of an unlinked inode: the filesystem frees it. */
    void evictIfUnused(VfsInode inode) {
        if (inode.users == 0 && inode.mappings.isEmpty() && inode.attr().nlink() == 0) {
            inodes.remove(inode.ino);
            inode.cache.invalidate(0, Long.MAX_VALUE, true);
            inode.fs.evict();
        }
    }

    boolean busy() {
        for (VfsInode i : inodes.values()) {
            if (i.users > 0 || !i.mappings.isEmpty() || i.swapfile) {
                return true;
            }
        }
        return false;
    }

    MountInfo info() {
        return new MountInfo(id, device, target, fsType, sb.mountOptions(), dev);
    }
}
