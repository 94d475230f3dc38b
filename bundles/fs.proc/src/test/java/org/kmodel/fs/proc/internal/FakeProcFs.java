package org.kmodel.fs.proc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFile;
import org.kmodel.kernel.ProcFs;

/** A ProcFs whiteboard for tests: exact paths first, then one-{@code *} patterns. */
final class FakeProcFs implements ProcFs {
    private final Map<String, ProcFile> files = new TreeMap<>();

    void add(String path, ProcFile f) {
        files.put(path, f);
    }

    void remove(String path) {
        files.remove(path);
    }

    private Object[] find(String path) {
        if (files.containsKey(path)) {
            return new Object[] {files.get(path), null};
        }
        String[] c = path.split("/");
        for (Map.Entry<String, ProcFile> e : files.entrySet()) {
            String[] p = e.getKey().split("/");
            if (p.length != c.length) {
                continue;
            }
            String wild = null;
            boolean ok = true;
            for (int i = 0; i < p.length && ok; i++) {
                if (p[i].equals("*")) {
                    wild = c[i];
                } else {
                    ok = p[i].equals(c[i]);
                }
            }
            if (ok) {
                return new Object[] {e.getValue(), wild};
            }
        }
        throw new KernelException(Errno.ENOENT, path);
    }

    @Override
    public String read(String path) {
        Object[] f = find(path);
        return ((ProcFile) f[0]).read((String) f[1]);
    }

    @Override
    public void write(String path, String content) {
        Object[] f = find(path);
        ProcFile file = (ProcFile) f[0];
        if (!file.writable()) {
            throw new KernelException(Errno.EACCES, path);
        }
        file.write((String) f[1], content);
    }

    @Override
    public List<String> instances(String pattern) {
        ProcFile f = files.get(pattern);
        return f == null ? List.of() : new ArrayList<>(new java.util.TreeSet<>(f.instances()));
    }

    @Override
    public List<String> paths() {
        return new ArrayList<>(files.keySet());
    }
}
