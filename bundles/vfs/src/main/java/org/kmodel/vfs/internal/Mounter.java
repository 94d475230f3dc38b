package org.kmodel.vfs.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * mount(2) and umount(2) (fs/namespace.c {@code do_new_mount}, {@code do_umount}): a new super block from the
 * type's current implementation, a reference on the type for as long as the mount exists.
 */
final class Mounter {
    /** Generic mount flags the VFS consumes ({@code MS_*} from mount(8)'s option table). */
    private static final Set<String> GENERIC = Set.of(
            "ro",
            "rw",
            "relatime",
            "noatime",
            "strictatime",
            "nosuid",
            "suid",
            "nodev",
            "dev",
            "noexec",
            "exec",
            "sync",
            "async",
            "defaults",
            "remount");

    private final VfsCore core;

    Mounter(VfsCore core) {
        this.core = core;
    }

    private record Context(
            String source,
            String options,
            Map<String, String> optionMap,
            boolean readOnly,
            KernelRelease release,
            long deviceNumber,
            org.kmodel.vfs.spi.PageBudget memory)
            implements MountContext {}

    void mount(String source, String target, String fsType, String options) {
        Map<String, String> all = parseOptions(options);
        if (all.containsKey("remount")) {
            remount(target, options);
            return;
        }
        FileSystemType type = core.registry.get(fsType);
        boolean ro = readOnly(options, false);
        Map<String, String> fsOpts = fsOptions(all);
        String raw = String.join(
                ",",
                fsOpts.entrySet().stream()
                        .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue())
                        .toList());
        Location at = null;
        String path = "/";
        if (core.mounts.hasRoot()) {
            at = core.resolve(target, true);
            if (at.inode().type() != FileType.DIRECTORY) {
                throw new KernelException(Errno.ENOTDIR, target);
            }
            path = at.path();
        } else if (!target.equals("/")) {
            throw new KernelException(Errno.ENOENT, target + ": no root filesystem yet");
        }
        long dev = core.mounts.allocateDev();
        Context ctx =
                new Context(source, raw, Collections.unmodifiableMap(fsOpts), ro, core.release(), dev, core.memory);
        SuperBlock sb = type.mount(ctx);
        Mount parent = at == null ? null : at.mount();
        VfsInode mountpoint = at == null ? null : at.inode();
        Mount m = new Mount(core.mounts.allocateId(), source, fsType, type, sb, dev, parent, mountpoint, path);
        m.memory = core.memory;
        m.readOnly = ro; // path_mount: MS_RDONLY gives the new mount MNT_READONLY (and its super block SB_RDONLY)
        m.module = core.moduleRefs.get(type);
        if (type.capabilities(core.release()).requiresDevice() && !source.startsWith("/dev/")) {
            m.device = "/dev/loop" + core.mounts.freeLoop(); // losetup -f: the lowest unused loop device
        }
        core.mounts.add(m);
        core.registry.ref(fsType);
        if (mountpoint != null) {
            core.mounts.clearFailed(mountpoint);
        }
    }

    /**
     * mount(2) with {@code MS_REMOUNT} ({@code do_remount}, fs/namespace.c; {@code reconfigure_super}, fs/super.c):
     * the source and the type are ignored; {@code target} must be the root of a mount (EINVAL otherwise, as mount(8)
     * reports "not mounted or bad option"). {@code ro} and {@code rw} change the mount's read-only flag; without
     * either it stays as it is (mount(8) passes the current flag, libmount's merge). Going read-only first refuses
     * with EBUSY while a file on the mount is open for writing ({@link Mount#hasWriters},
     * {@code sb_prepare_remount_readonly}), then writes back every dirty page and syncs ({@code sync_filesystem},
     * which every filesystem's {@code ->reconfigure} does when it goes read-only). The generic flags the model does not
     * model (noatime, nosuid, ...) are accepted and ignored, as at mount time; filesystem options (tmpfs's size=)
     * cannot be changed by a remount in the model: EINVAL, nothing changed.
     */
    void remount(String target, String options) {
        Location at = core.resolve(target, true);
        Mount m = core.mounts.mountAt(at);
        Map<String, String> fsOpts = fsOptions(parseOptions(options));
        if (!fsOpts.isEmpty()) {
            throw new KernelException(
                    Errno.EINVAL, target + ": remount cannot change filesystem options: " + fsOpts.keySet());
        }
        boolean ro = readOnly(options, m.readOnly);
        if (ro && !m.readOnly) {
            if (m.hasWriters()) {
                throw new KernelException(Errno.EBUSY, target);
            }
            writeback(m);
        }
        m.readOnly = ro;
    }

    /** The options that are the filesystem's own: all but the generic mount flags. */
    private static Map<String, String> fsOptions(Map<String, String> all) {
        Map<String, String> fs = new LinkedHashMap<>(all);
        fs.keySet().removeAll(GENERIC);
        return fs;
    }

    /** The last of {@code ro} and {@code rw} in {@code options} wins, as in mount(8); {@code current} without either. */
    static boolean readOnly(String options, boolean current) {
        boolean ro = current;
        for (String item : options == null ? new String[0] : options.split(",")) {
            if (item.equals("ro")) {
                ro = true;
            } else if (item.equals("rw")) {
                ro = false;
            }
        }
        return ro;
    }

    void umount(String target) {
        Location at = core.resolve(target, true);
        Mount m = core.mounts.mountAt(at);
        if (core.mounts.hasChildren(m) || m.busy() || cwdInside(m)) {
            throw new KernelException(Errno.EBUSY, target);
        }
        writeback(m);
        detach(m);
    }

    /**
     * {@code sync_filesystem}: every dirty page of the mount goes to {@code ->writepage}, then {@code ->sync_fs}.
     * Regular files only: directories and symlinks have no page cache here.
     */
    static void writeback(Mount m) {
        for (VfsInode i : m.inodes()) {
            if (i.type() == FileType.REGULAR) {
                i.cache.writeback(0, Long.MAX_VALUE, i.size());
            }
        }
        m.sb.sync();
    }

    /**
     * The end of {@code do_umount} after the writeback: {@code ->kill_sb}, out of the mount tree, the type and
     * module references dropped. The mount leaves the table even if {@code kill_sb} fails, so that a forced
     * shutdown always makes progress; the failure is rethrown for the caller to report.
     */
    void detach(Mount m) {
        try {
            m.sb.kill();
        } finally {
            for (VfsInode i : m.inodes()) {
                i.cache.invalidate(0, Long.MAX_VALUE, false); // the pages go with the mount: uncharged
            }
            core.mounts.remove(m);
            core.registry.unref(m.fsType);
            if (m.module != null) {
                core.moduleRefs.put(m.module);
            }
        }
    }

    /**
     * Shutdown ({@code kernel_restart_prepare}/{@code kernel_power_off} after {@code ksys_sync}, and the
     * {@code umount -a} of an init system): every mount, children before parents, written back and detached.
     * Unlike umount(2) it is forced: open files, cwd and children never make it fail, and a failure of one mount
     * does not stop the others. Reverse mount order is children first: a mount is always made after its parent.
     * Returns the failures as "target: message" lines.
     */
    List<String> umountAll() {
        List<String> failures = new ArrayList<>();
        List<Mount> all = core.mounts.all();
        for (int k = all.size() - 1; k >= 0; k--) {
            Mount m = all.get(k);
            try {
                writeback(m);
            } catch (RuntimeException | Error e) {
                // an OutOfMemoryError in one mount's writeback must not keep the others from committing
                failures.add(m.target + ": writeback: " + e);
            }
            try {
                detach(m);
            } catch (RuntimeException | Error e) {
                failures.add(m.target + ": kill_sb: " + e.getMessage());
            }
        }
        return failures;
    }

    private boolean cwdInside(Mount m) {
        return core.cwd().chain().stream().anyMatch(s -> s.mount() == m)
                && core.mounts.hasRoot()
                && core.mounts.rootStep().mount() != m;
    }

    static Map<String, String> parseOptions(String options) {
        Map<String, String> out = new LinkedHashMap<>();
        if (options == null || options.isBlank()) {
            return out;
        }
        for (String item : options.split(",")) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                out.put(item, "");
            } else {
                out.put(item.substring(0, eq), item.substring(eq + 1));
            }
        }
        return out;
    }

    static List<String> split(String s) {
        return new ArrayList<>(List.of(s.split(",")));
    }
}
