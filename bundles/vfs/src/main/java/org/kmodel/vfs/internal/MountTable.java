package org.kmodel.vfs.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The mount tree of the one namespace ({@code struct mnt_namespace}, fs/namespace.c). Mounts are kept in
 * mount order, which is the order of /proc/mounts; a directory with several mounts on it shows the last one.
 */
final class MountTable {
    private final List<Mount> mounts = new ArrayList<>();
    private Mount root;
    private int nextId = 20;
    /** Anonymous block device numbers (get_anon_bdev): major 0, minors from 20 as on a booted system. */
    private long nextMinor = 20;

    /**
     * Mount points of boot mounts that failed. The kernel would leave such a directory as an ordinary directory
     * of the parent filesystem, and everything written "to /data" would land on the root image unnoticed; a
     * system booted by systemd stops in emergency mode instead. kmodel keeps booting but makes the failure
     * visible where it matters: nothing can be looked up, listed or created below such a directory (EIO, the
     * boot error is in dmesg) until something is mounted on it.
     */
    private final java.util.Set<VfsInode> failed =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    void markFailed(VfsInode dir) {
        failed.add(dir);
    }

    void clearFailed(VfsInode dir) {
        failed.remove(dir);
    }

    void checkNotFailed(VfsInode dir, String path) {
        if (!failed.isEmpty() && failed.contains(dir) && mountedOn(dir) == null) {
            throw new KernelException(Errno.EIO, path + ": its boot mount failed (see dmesg)");
        }
    }

    Location.Step rootStep() {
        if (root == null) {
            throw new KernelException(Errno.ENOENT, "no root filesystem mounted");
        }
        Mount m = root;
        Mount over;
        while ((over = mountedOn(m.root)) != null) {
            m = over;
        }
        return new Location.Step("", m, m.root);
    }

    Location rootLocation() {
        return new Location(List.of(rootStep()));
    }

    boolean hasRoot() {
        return root != null;
    }

    Mount mountedOn(VfsInode dir) {
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).mountpoint == dir) {
                return mounts.get(i);
            }
        }
        return null;
    }

    List<Mount> all() {
        return List.copyOf(mounts);
    }

    int allocateId() {
        return nextId++;
    }

    /** The lowest N with no mounted {@code /dev/loopN} (a loop device is detached again at umount). */
    int freeLoop() {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Mount m : mounts) {
            used.add(m.device);
        }
        int n = 0;
        while (used.contains("/dev/loop" + n)) {
            n++;
        }
        return n;
    }

    long allocateDev() {
        return nextMinor++;
    }

    void add(Mount m) {
        if (m.parent == null && root == null) {
            root = m;
        }
        mounts.add(m);
    }

    void remove(Mount m) {
        mounts.remove(m);
        if (m == root) {
            root = null;
        }
    }

    /** Mounts whose parent is {@code m} (they pin it: umount gives EBUSY). */
    boolean hasChildren(Mount m) {
        return mounts.stream().anyMatch(c -> c.parent == m);
    }

    /** The mount whose root is at {@code loc}, or EINVAL if {@code loc} is not a mount point. */
    Mount mountAt(Location loc) {
        Mount m = loc.mount();
        if (m.root != loc.inode()) {
            throw new KernelException(Errno.EINVAL, loc.path() + ": not mounted");
        }
        return m;
    }
}
