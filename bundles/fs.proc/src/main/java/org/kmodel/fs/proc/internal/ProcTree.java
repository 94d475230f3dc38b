package org.kmodel.fs.proc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The directory structure implied by the registered paths below one mount root ("/proc" or "/sys"): a
 * directory exists where some path continues below it; a file where a path ends. {@code *} components match
 * a process id ({@code [0-9]+}) or {@code self}, as the per-process directories of /proc do, and cannot be
 * listed.
 */
final class ProcTree {
    private final ProcFiles files;
    private final List<String> root;

    ProcTree(ProcFiles files, String rootPath) {
        this.files = files;
        this.root = ProcFiles.split(rootPath);
    }

    /** A match of a concrete path: the entry and the concrete values of its wildcard components. */
    record Match(ProcFiles.Entry entry, List<String> wildcards) {
        String wildcard() {
            return wildcards.isEmpty() ? null : String.join("/", wildcards);
        }
    }

    List<String> absolute(List<String> relative) {
        List<String> out = new ArrayList<>(root);
        out.addAll(relative);
        return out;
    }

    /** The file at exactly this path, or null. */
    Match file(List<String> relative) {
        List<String> abs = absolute(relative);
        for (ProcFiles.Entry e : files.snapshot()) {
            List<String> w = match(e.components(), abs, abs.size());
            if (w != null && e.components().size() == abs.size()) {
                return new Match(e, w);
            }
        }
        return null;
    }

    /** Whether some registered path continues below this one. */
    boolean isDirectory(List<String> relative) {
        List<String> abs = absolute(relative);
        for (ProcFiles.Entry e : files.snapshot()) {
            if (e.components().size() > abs.size() && match(e.components(), abs, abs.size()) != null) {
                return true;
            }
        }
        return false;
    }

    /** The listable names directly below this directory (wildcards excluded), sorted. */
    List<String> children(List<String> relative) {
        List<String> abs = absolute(relative);
        TreeSet<String> names = new TreeSet<>();
        for (ProcFiles.Entry e : files.snapshot()) {
            if (e.components().size() > abs.size() && match(e.components(), abs, abs.size()) != null) {
                String next = e.components().get(abs.size());
                if (!next.equals("*")) {
                    names.add(next);
                }
            }
        }
        return new ArrayList<>(names);
    }

    private static boolean isPidName(String name) {
        return name.equals("self") || name.equals("thread-self") || (!name.isEmpty() && name.chars().allMatch(Character::isDigit));
    }

    /** Matches the first {@code n} pattern components against {@code path}; the wildcard values, or null. */
    private static List<String> match(List<String> pattern, List<String> path, int n) {
        if (pattern.size() < n) {
            return null;
        }
        List<String> wild = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = pattern.get(i);
            if (p.equals("*")) {
                if (!isPidName(path.get(i))) {
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
