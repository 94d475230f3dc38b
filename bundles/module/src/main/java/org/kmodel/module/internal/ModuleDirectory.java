package org.kmodel.module.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * {@code /lib/modules/$(uname -r)} and what depmod makes of it ({@code modules.dep}): every
 * {@code *.ko} below the directory, by module name, with its dependencies from the {@code depends}
 * field or, failing that, from which indexed module exports the symbols it imports.
 */
final class ModuleDirectory {
    record Entry(String name, Path path, List<String> depends) {}

    private final Map<String, Entry> byName = new LinkedHashMap<>();

    /** depmod: scans {@code dir}; a file that is not a module is skipped. */
    static ModuleDirectory scan(Path dir) {
        ModuleDirectory d = new ModuleDirectory();
        if (!Files.isDirectory(dir)) {
            return d;
        }
        Map<String, ModuleFile> files = new LinkedHashMap<>();
        Map<String, Path> paths = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(dir, 8)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".ko"))
                    .sorted()
                    .toList()) {
                try {
                    ModuleFile f = ModuleFile.parse(
                            Files.readAllBytes(p), p.getFileName().toString());
                    files.putIfAbsent(f.name(), f);
                    paths.putIfAbsent(f.name(), p);
                } catch (IOException | KernelException e) {
                    // depmod warns and goes on
                }
            }
        } catch (IOException e) {
            return d;
        }
        for (ModuleFile f : files.values()) {
            Set<String> deps = new LinkedHashSet<>(f.depends());
            for (String sym : f.imports()) {
                for (ModuleFile o : files.values()) {
                    if (o != f && (o.exports().contains(sym) || o.exportsGpl().contains(sym))) {
                        deps.add(o.name());
                    }
                }
            }
            d.byName.put(f.name(), new Entry(f.name(), paths.get(f.name()), new ArrayList<>(deps)));
        }
        return d;
    }

    Entry find(String name) {
        Entry e = byName.get(name);
        return e != null ? e : byName.get(name.replace('-', '_'));
    }

    /** The load order for {@code name}: dependencies deepest first, then the module itself. */
    List<Entry> loadOrder(String name) {
        Entry e = find(name);
        if (e == null) {
            throw new KernelException(Errno.ENOENT, "Module " + name + " not found in directory");
        }
        List<Entry> out = new ArrayList<>();
        visit(e, out, new LinkedHashSet<>());
        return out;
    }

    private void visit(Entry e, List<Entry> out, Set<String> path) {
        if (out.contains(e) || !path.add(e.name())) {
            return;
        }
        for (String dep : e.depends()) {
            Entry d = find(dep);
            if (d != null) {
                visit(d, out, path);
            }
        }
        out.add(e);
    }
}
