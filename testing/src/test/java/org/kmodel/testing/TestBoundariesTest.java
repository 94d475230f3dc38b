package org.kmodel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Tests reach other bundles only through their API, a test-support export of that bundle ({@code ...testing})
 * or this kit; benchmarks likewise. A test of module A may use the {@code internal} packages of A itself (it
 * tests them), never another bundle's: not by an import, not by a fully qualified name, and not by declaring
 * its class in the other bundle's package (which would reach its package-private members). A module's own
 * packages are those of its bundle code and those only its tests declare; a benchmark has no bundle code. This
 * fails for every such reference; there are no exceptions (the references older than the check have moved to the
 * bundles' test-support exports, {@code org.kmodel.<bundle>.testing}).
 */
class TestBoundariesTest {
    /** {@code package x.y;} */
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    /** A reference into an internal package: the package is the lower-case segments up to the class name. */
    private static final Pattern INTERNAL =
            Pattern.compile("\\borg\\.kmodel\\.((?:[a-z_][\\w]*\\.)*?internal(?:\\.[a-z_][\\w]*)*)\\.[A-Z*]");

    private static final Pattern SOURCE_ROOT = Pattern.compile("^(.+?)/src/(main|test)/java/.+\\.java$");

    @Test
    void testsAndBenchmarksUseOnlyTheirOwnBundlesInternalPackages() throws Exception {
        Path root = RepositoryReferencesTest.root();
        List<Path> files = RepositoryReferencesTest.trackedFiles(root);
        Map<String, Set<String>> own = new HashMap<>(); // module -> the packages that are its own
        Set<String> bundlePackages = new HashSet<>();
        Map<String, String> checked = new TreeMap<>(); // test or benchmark file -> its module
        Map<String, String> texts = new HashMap<>();
        for (Path f : files) {
            String rel = f.toString().replace('\\', '/');
            Matcher m = SOURCE_ROOT.matcher(rel);
            if (!m.matches()) {
                continue;
            }
            String text = Files.readString(root.resolve(f), StandardCharsets.UTF_8);
            if (m.group(2).equals("main") && !m.group(1).equals("benchmarks")) {
                String pkg = packageOf(text);
                if (pkg != null) {
                    own.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(pkg);
                    bundlePackages.add(pkg);
                }
            } else {
                checked.put(rel, m.group(1));
                texts.put(rel, text);
            }
        }
        // a package that only a module's tests declare (no bundle has it) is that module's own too
        checked.forEach((rel, module) -> {
            String pkg = packageOf(texts.get(rel));
            if (pkg != null && !bundlePackages.contains(pkg)) {
                own.computeIfAbsent(module, k -> new HashSet<>()).add(pkg);
            }
        });
        Set<String> found = new TreeSet<>();
        checked.forEach((rel, module) -> {
            for (String pkg : foreignInternals(texts.get(rel), own.getOrDefault(module, Set.of()))) {
                found.add(rel + " -> " + pkg);
            }
        });
        int scanned = checked.size();
        assertTrue(scanned > 100, "scanned only " + scanned + " test and benchmark files below " + root);
        assertEquals(
                Set.of(),
                found,
                "another bundle's internal package, reached from a test or benchmark: use its API,"
                        + " its test-support export or the test kit\n" + String.join("\n", found));
    }

    @Test
    void theCheckSeesImportsQualifiedNamesAndBorrowedPackages() {
        Set<String> own = Set.of("org.kmodel.fs.ext4.internal", "org.kmodel.fs.ext4");
        String ok = "package org.kmodel.fs.ext4.internal;\nimport org.kmodel.fs.ext4.internal.Ext4FsType;\n"
                + "import org.kmodel.vfs.Vfs;\nimport org.kmodel.block.testing.TestBlockDevices;\n"
                + "// org.kmodel.vfs.internal.VfsCore in a comment is no reference\n"
                + "class T { String pid = \"org.kmodel.module.internal.ModuleLoaderComponent.cfg\"; }\n";
        assertEquals(Set.of(), foreignInternals(ok, own));
        String bad = "package org.kmodel.fs.ext4.internal;\nimport org.kmodel.vfs.internal.VfsCore;\n"
                + "import static org.kmodel.mm.cache.lru.internal.LruVmaCache.X;\n"
                + "class T { Object d = new org.kmodel.block.internal.MemoryBlockDevice(\"d\", 1, 512); }\n";
        assertEquals(
                Set.of("org.kmodel.vfs.internal", "org.kmodel.mm.cache.lru.internal", "org.kmodel.block.internal"),
                foreignInternals(bad, own));
        assertEquals(
                Set.of("org.kmodel.mm.internal"),
                foreignInternals("package org.kmodel.mm.internal;\nclass FindVmaBenchmark {}\n", Set.of()),
                "a class declared in another bundle's internal package");
    }

    /** The internal packages {@code text} declares itself in or refers to that are not among {@code own}. */
    static Set<String> foreignInternals(String text, Set<String> own) {
        Set<String> out = new TreeSet<>();
        String pkg = packageOf(text);
        if (pkg != null && pkg.matches("(.*\\.)?internal(\\..*)?") && !own.contains(pkg)) {
            out.add(pkg);
        }
        for (String line : text.split("\n")) {
            String code = line.strip();
            if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*") || code.startsWith("package ")) {
                continue;
            }
            code = code.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""); // a configuration PID is a name, no reference
            int comment = code.indexOf("//");
            if (comment >= 0) {
                code = code.substring(0, comment);
            }
            Matcher m = INTERNAL.matcher(code);
            while (m.find()) {
                String ref = "org.kmodel." + m.group(1);
                if (!own.contains(ref)) {
                    out.add(ref);
                }
            }
        }
        return out;
    }

    private static String packageOf(String text) {
        Matcher m = PACKAGE.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
