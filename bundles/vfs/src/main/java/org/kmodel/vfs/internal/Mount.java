package org.kmodel.vfs.internal;

import java.util.HashMap;
import java.util.Map;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
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

    /**
     * {@code MNT_READONLY} (fs/namespace.c). The model has no bind mounts, so a super block has exactly one mount
     * and the kernel's two flags, the mount's {@code MNT_READONLY} and the super block's {@code SB_RDONLY}, are
     * always set and cleared together (by {@code mount -o ro} and by {@code do_remount}): one flag stands for both,
     * and {@link #wantWrite} is {@code __mnt_is_readonly}. Changed only under the VFS lock.
     */
    boolean readOnly;

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

    /**
     * {@code mnt_want_write} (fs/namespace.c): a change to the namespace or to an inode of this mount fails with
     * EROFS on a read-only mount. Callers place it where the kernel's system call does, relative to its other
     * checks (docs/vfs.md "Read-only mounts").
     */
    void wantWrite(String path) {
        if (readOnly) {
            throw new KernelException(Errno.EROFS, path);
        }
    }

    /**
     * {@code sb_prepare_remount_readonly} (fs/namespace.c): a mount cannot become read-only while a file on it is
     * open for writing ({@code mnt_get_writers}: an open description with {@code FMODE_WRITER}, a mapping made from
     * one, which keeps its {@code struct file}, or an active swap file, which swapon opened O_RDWR), or while an
     * unlinked inode is still in use ({@code sb->s_remove_count}: its blocks are freed at the last close, a write).
     */
    boolean hasWriters() {
        for (VfsInode i : inodes.values()) {
            if (i.writers > 0 || i.swapfile) {
                return true;
            }
            if ((i.users > 0 || !i.mappings.isEmpty()) && i.attr().nlink() == 0) {
                return true;
            }
        }
        return false;
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
        return new MountInfo(id, device, target, fsType, shownOptions(readOnly, sb.mountOptions()), dev);
    }

    /**
     * {@code show_vfsmnt} (fs/proc_namespace.c) prints "ro" or "rw" first, from the mount's flag
     * ({@code __mnt_is_readonly}), and then the rest: the filesystem's own "rw"/"ro" (what it saw at mount time)
     * is replaced, so a remount shows at once whatever the filesystem reports.
     */
    static String shownOptions(boolean readOnly, String fsOptions) {
        StringBuilder b = new StringBuilder(readOnly ? "ro" : "rw");
        for (String o : fsOptions == null ? new String[0] : fsOptions.split(",")) {
            if (!o.isEmpty() && !o.equals("ro") && !o.equals("rw")) {
                b.append(',').append(o);
            }
        }
        return b.toString();
    }
}
