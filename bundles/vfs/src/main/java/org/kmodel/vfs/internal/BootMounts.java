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

    BootMounts(VfsCore core, String[] lines) {
        this.core = core;
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
            try {
                if (!f[1].equals("/")) {
                    mkdirs(f[1]);
                }
                core.mount(f[0], f[1], f[2], f.length > 3 ? f[3] : "");
                mounted.add(f[1]);
            } catch (KernelException e) {
                errors.add(String.join(" ", f) + ": " + e.getMessage());
            }
            pending.remove(0);
        }
    }

    private void mkdirs(String path) {
        StringBuilder p = new StringBuilder();
        for (String c : path.split("/")) {
            if (c.isEmpty()) {
                continue;
            }
            p.append('/').append(c);
            try {
                if (core.stat(p.toString()).type() == FileType.DIRECTORY) {
                    continue;
                }
            } catch (KernelException e) {
                core.mkdir(p.toString(), 0755);
            }
        }
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }
}
