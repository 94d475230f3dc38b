package org.kmodel.kernel.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFile;
import org.kmodel.kernel.ProcFs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The /proc and /sys namespace over the {@link ProcFile} whiteboard (fs/proc/generic.c {@code proc_lookup}).
 * An exact path beats a {@code *} pattern; among equal paths the highest {@code service.ranking} wins, so a
 * subsystem can shadow a file by registering a higher-ranked one.
 */
@Component(service = ProcFs.class)
public class ProcRoot implements ProcFs {
    /** One registered file. */
    static final class Entry {
        final String path;
        final String[] parts;
        final ProcFile file;
        final int ranking;
        final long id;

        Entry(String path, ProcFile file, int ranking, long id) {
            this.path = path;
            this.parts = split(path);
            this.file = file;
            this.ranking = ranking;
            this.id = id;
        }

        /** The component matched by the {@code *}, "" for an exact path, or null if no match. */
        String match(String[] want) {
            if (want.length != parts.length) {
                return null;
            }
            String wildcard = "";
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].equals("*")) {
                    wildcard = want[i];
                } else if (!parts[i].equals(want[i])) {
                    return null;
                }
            }
            return wildcard;
        }

        boolean isPattern() {
            return path.contains("*");
        }

        boolean beats(Entry other) {
            if (isPattern() != other.isPattern()) {
                return !isPattern();
            }
            return ranking != other.ranking ? ranking > other.ranking : id < other.id;
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    @Reference(service = ProcFile.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindProcFile(ProcFile file, Map<String, Object> props) {
        Object path = props.get(ProcFile.PATH);
        if (path != null) {
            entries.add(new Entry(normalize(path.toString()), file, ranking(props), id(props)));
        }
    }

    void unbindProcFile(ProcFile file, Map<String, Object> props) {
        entries.removeIf(e -> e.file == file && e.id == id(props));
    }

    /** For unit tests and for callers without DS. */
    void add(String path, ProcFile file, int ranking, long id) {
        entries.add(new Entry(normalize(path), file, ranking, id));
    }

    @Override
    public String read(String path) {
        Found f = lookup(path);
        return f.entry.file.read(f.wildcard);
    }

    @Override
    public void write(String path, String content) {
        Found f = lookup(path);
        if (!f.entry.file.writable()) {
            throw new KernelException(Errno.EACCES, normalize(path));
        }
        f.entry.file.write(f.wildcard, content);
    }

    @Override
    public void truncate(String path) {
        Found f;
        try {
            f = lookup(path);
        } catch (KernelException e) {
            return;
        }
        f.entry.file.truncate(f.wildcard);
    }

    @Override
    public List<String> paths() {
        TreeSet<String> set = new TreeSet<>();
        for (Entry e : entries) {
            set.add(e.path);
        }
        return new ArrayList<>(set);
    }

    @Override
    public List<String> instances(String pattern) {
        String p = normalize(pattern);
        TreeSet<String> set = new TreeSet<>();
        for (Entry e : entries) {
            if (e.path.equals(p)) {
                try {
                    set.addAll(e.file.instances());
                } catch (RuntimeException ex) {
                    // a file whose owner is going away lists nothing
                }
            }
        }
        return new ArrayList<>(set);
    }

    private static final class Found {
        final Entry entry;
        final String wildcard;

        Found(Entry entry, String wildcard) {
            this.entry = entry;
            this.wildcard = wildcard;
        }
    }

    private Found lookup(String path) {
        String p = normalize(path);
        String[] want = split(p);
        Found best = null;
        for (Entry e : entries) {
            String w = e.match(want);
            if (w != null && (best == null || e.beats(best.entry))) {
                best = new Found(e, w);
            }
        }
        if (best == null) {
            throw new KernelException(Errno.ENOENT, p);
        }
        return best;
    }

    static String normalize(String path) {
        String p = path.trim().replaceAll("/+", "/");
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.startsWith("/") ? p : "/" + p;
    }

    static String[] split(String path) {
        return normalize(path).substring(1).split("/");
    }

    private static int ranking(Map<String, Object> props) {
        Object r = props.get("service.ranking");
        return r instanceof Integer ? (Integer) r : 0;
    }

    private static long id(Map<String, Object> props) {
        Object id = props.get("service.id");
        return id instanceof Long ? (Long) id : 0L;
    }
}
