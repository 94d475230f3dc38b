package org.kmodel.vfs.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FileType;

/**
 * The mounts made at boot (what init/do_mounts.c and an init system's fstab do): {@code "source target type
 * [options]"} lines, mounted in order as soon as their filesystem type is registered and their parent is
 * mounted. Missing mount points are created, as an initramfs does.
 */
final class BootMounts {
    private final VfsCore core;
    private final List<String[]> pending = new ArrayList<>();
    private final List<String> mounted = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> lines;
    private final Hooks hooks;

    /** What the boot does around each mount: fsck before it (fsck.mode=force), one reported line when it fails. */
    interface Hooks {
        Hooks NONE = new Hooks() {};

        /** Runs before the mount of {@code source} as {@code type} (systemd-fsck's place in the boot). */
        default void beforeMount(String source, String target, String type) {}

        /** A boot mount of {@code source} as {@code type} failed: one line for the console and dmesg. */
        default void failed(String line, String source, String type) {}
    }

    BootMounts(VfsCore core, String[] lines) {
        this(core, lines, Hooks.NONE);
    }

    BootMounts(VfsCore core, String[] lines, Hooks hooks) {
        this.core = core;
        this.hooks = hooks;
        this.lines = List.of(lines);
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3) {
                pending.add(f);
            }
        }
    }

    boolean sameLines(String[] other) {
        return lines.equals(List.of(other));
    }

    /**
     * Takes the boot mounts made so far down again, newest first, so that a boot configuration that arrived after
     * activation (the disks feature after vfs) can be applied. Returns false, changing nothing more, if one of them
     * is in use (EBUSY): then the running namespace stays.
     */
    synchronized boolean unmountAll() {
        for (int i = mounted.size() - 1; i >= 0; i--) {
            try {
                core.umount(mounted.get(i));
            } catch (KernelException e) {
                errors.add("umount " + mounted.get(i) + ": " + e.getMessage());
                return false;
            }
            mounted.remove(i);
        }
        return true;
    }

    /** Mounts every pending entry that can be mounted now, in order; stops at the first that cannot. */
    synchronized void progress() {
        while (!pending.isEmpty()) {
            String[] f = pending.get(0);
            if (!core.filesystems().stream().anyMatch(l -> l.endsWith("\t" + f[2]))) {
                return;
            }
            boolean created = false;
            if (!f[1].equals("/") && !core.mounts.hasRoot()) {
                // the root mount failed and said so; the mounts below it are recorded, not repeated
                errors.add(String.join(" ", f) + ": skipped, no root filesystem");
                pending.remove(0);
                continue;
            }
            try {
                if (!f[1].equals("/")) {
                    created = mkdirs(f[1]);
                }
                hooks.beforeMount(f[0], f[1], f[2]);
                core.mount(f[0], f[1], f[2], f.length > 3 ? f[3] : "");
                mounted.add(f[1]);
            } catch (KernelException e) {
                String line = String.join(" ", f) + ": " + e.getMessage();
                errors.add(line);
                guardMountpoint(f[1], created);
                hooks.failed("VFS: boot mount failed: " + line, f[0], f[2]);
            } catch (RuntimeException e) {
                // a filesystem's bug must not stop the boot or hide the mount point's state
                String line = String.join(" ", f) + ": " + e + ": " + org.kmodel.kernel.Errno.EIO.strerror();
                errors.add(line);
                guardMountpoint(f[1], created);
                hooks.failed("VFS: boot mount failed: " + line, f[0], f[2]);
            }
            pending.remove(0);
        }
    }

    /** Creates the missing directories of {@code path}; true if the last one was created now. */
    private boolean mkdirs(String path) {
        StringBuilder p = new StringBuilder();
        boolean created = false;
        for (String c : path.split("/")) {
            if (c.isEmpty()) {
                continue;
            }
            p.append('/').append(c);
            created = false;
            try {
                if (core.stat(p.toString()).type() == FileType.DIRECTORY) {
                    continue;
                }
            } catch (KernelException e) {
                core.mkdir(p.toString(), 0755);
                created = true;
            }
        }
        return created;
    }

    /**
     * After a failed boot mount nothing may be written "into" the mount point on the parent filesystem: a
     * directory made for this mount goes again (then /data does not exist: ENOENT); one that was already there
     * (from an earlier boot) is marked failed in the mount table (EIO below it until a mount succeeds there).
     */
    private void guardMountpoint(String target, boolean created) {
        if (target.equals("/") || !core.mounts.hasRoot()) {
            return;
        }
        try {
            if (created) {
                core.rmdir(target);
            } else {
                synchronized (core.lock) {
                    core.mounts.markFailed(core.resolve(target, true).inode());
                }
            }
        } catch (KernelException e) {
            errors.add("guard " + target + ": " + e.getMessage());
        }
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }
}
