package org.kmodel.fs.proc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFs;

/**
 * The directory structure implied by the paths the kernel's {@link ProcFs} whiteboard has registered below one
 * mount root ("/proc" or "/sys"): a directory exists where some path continues below it; a file where a path
 * ends. Content is read through {@link ProcFs}, so a replaced (live-patched) ProcFs is seen at once. {@code *} components match
 * a process id ({@code [0-9]+}) or {@code self}, as the per-process directories of /proc do, and cannot be
 * listed.
 */
final class ProcTree {
    private final Supplier<ProcFs> procfs;
    private final List<String> root;

    ProcTree(Supplier<ProcFs> procfs, String rootPath) {
        this.procfs = procfs;
        this.root = split(rootPath);
    }

    ProcFs procfs() {
        ProcFs p = procfs.get();
        if (p == null) {
            throw new KernelException(Errno.ENOENT, "no /proc whiteboard");
        }
        return p;
    }

    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /** The values the {@code *} of a registered pattern lists now. */
    private List<String> instances(List<String> fullPattern) {
        ProcFs p = procfs.get();
        return p == null ? List.of() : p.instances("/" + String.join("/", fullPattern));
    }

    /** The registered patterns, split into components. */
    private List<List<String>> patterns() {
        ProcFs p = procfs.get();
        List<List<String>> out = new ArrayList<>();
        if (p != null) {
            for (String path : p.paths()) {
                out.add(split(path));
            }
        }
        return out;
    }

    /** The absolute concrete path of a file below this root, as ProcFs takes it. */
    String pathOf(List<String> relative) {
        return "/" + String.join("/", absolute(relative));
    }

    List<String> absolute(List<String> relative) {
        List<String> out = new ArrayList<>(root);
        out.addAll(relative);
        return out;
    }

    /** Whether a registered path is exactly this one (a file). */
    boolean isFile(List<String> relative) {
        List<String> abs = absolute(relative);
        for (List<String> p : patterns()) {
            if (p.size() == abs.size() && match(p, abs, abs.size()) != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether the whiteboard answers a read of this path although no registered path names it. */
    boolean readable(List<String> relative) {
        ProcFs p = procfs.get();
        if (p == null) {
            return false;
        }
        try {
            p.read(pathOf(relative));
            return true;
        } catch (KernelException e) {
            return false;
        }
    }

    /** Whether some registered path continues below this one. */
    boolean isDirectory(List<String> relative) {
        List<String> abs = absolute(relative);
        for (List<String> p : patterns()) {
            if (p.size() > abs.size() && match(p, abs, abs.size()) != null) {
                return true;
            }
        }
        return false;
    }

    /** The listable names directly below this directory (wildcards excluded), sorted. */
    List<String> children(List<String> relative) {
        List<String> abs = absolute(relative);
        TreeSet<String> names = new TreeSet<>();
        for (List<String> p : patterns()) {
            if (p.size() > abs.size() && match(p, abs, abs.size()) != null) {
                String next = p.get(abs.size());
                if (!next.equals("*")) {
                    names.add(next);
                } else {
                    names.addAll(instances(p)); // PIDs, module names
                }
            }
        }
        return new ArrayList<>(names);
    }

    private static boolean isPidName(String name) {
        return name.equals("self")
                || name.equals("thread-self")
                || (!name.isEmpty() && name.chars().allMatch(Character::isDigit));
    }

    /**
     * Matches the first {@code n} pattern components against {@code path}; the wildcard values, or null. A
     * {@code *} matches a process id or {@code self}, or any value the pattern's files list as instances
     * (a module name below /sys/module).
     */
    private List<String> match(List<String> pattern, List<String> path, int n) {
        if (pattern.size() < n) {
            return null;
        }
        List<String> wild = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = pattern.get(i);
            if (p.equals("*")) {
                if (!isPidName(path.get(i)) && !instances(pattern).contains(path.get(i))) {
                    return null;
                }
                wild.add(path.get(i));
            } else if (!p.equals(path.get(i))) {
                return null;
            }
        }
        return wild;
    }
}
