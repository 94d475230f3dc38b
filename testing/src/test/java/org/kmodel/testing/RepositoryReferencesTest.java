package org.kmodel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository must stand alone: a clone has nothing beside it. Every comment, README and build file outside
 * {@code docs/} may point into {@code docs/} (or any other Markdown file of the repository) or to a kernel file
 * and function, never to a design note that is not in the repository. This fails for
 * <ul>
 * <li>a {@code *.md} path (optionally with a {@code #anchor}) that does not resolve, relative to the citing file
 * or to the repository root, to a tracked file, or whose anchor is not a heading of that file;</li>
 * <li>a section sign, the way the notes outside the repository were cited (write the section's anchor
 * instead);</li>
 * <li>an absolute path into the workplace's shared folder.</li>
 * </ul>
 */
class RepositoryReferencesTest {
    private static final Pattern MD_PATH =
            Pattern.compile("(?<![\\w/.\\-<>{}*$\"])((?:[\\w.\\-]+/)*[\\w.\\-]+\\.md)(?![\\w(])(#[\\w\\-]+)?");
    private static final Set<String> TEXT =
            Set.of("java", "md", "xml", "py", "sh", "json", "properties", "bnd", "txt", "cfg", "yml", "yaml", "");
    private static final Path SELF = Path.of("testing/src/test/java/org/kmodel/testing/RepositoryReferencesTest.java");

    @Test
    void noFileOutsideDocsCitesANoteTheRepositoryDoesNotHave() throws Exception {
        Path root = root();
        List<Path> files = trackedFiles(root);
        assertTrue(files.size() > 100, "found only " + files.size() + " files below " + root);
        Set<String> tracked = new HashSet<>();
        files.forEach(f -> tracked.add(f.toString().replace('\\', '/')));
        List<String> problems = new ArrayList<>();
        int cited = 0;
        for (Path rel : files) {
            if (rel.startsWith("docs") || rel.equals(SELF) || !isText(rel)) {
                continue;
            }
            String text = read(root.resolve(rel));
            if (text == null) {
                continue;
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                String where = rel + ":" + (i + 1) + ": ";
                if (line.indexOf('\u00a7') >= 0) {
                    problems.add(where + "section sign (cite a docs/ anchor or a kernel file and function)");
                }
                if (line.contains("/work/shared") || line.contains("shared/spec")) {
                    problems.add(where + "path outside the repository");
                }
                Matcher m = MD_PATH.matcher(line);
                while (m.find()) {
                    if (m.group(1).startsWith("target/")) {
                        continue; // a report a build writes, not a note
                    }
                    cited++;
                    String target = resolve(tracked, rel, m.group(1));
                    if (target == null) {
                        problems.add(where + m.group(1) + " is not in the repository");
                    } else if (m.group(2) != null
                            && !anchors(root.resolve(target))
                                    .contains(m.group(2).substring(1))) {
                        problems.add(where + target + " has no heading for " + m.group(2));
                    }
                }
            }
        }
        assertTrue(cited > 20, "the check found only " + cited + " citations: is the pattern broken?");
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void anchorsAreGitHubs() {
        assertEquals("seek_data--seek_hole-and-fiemap", slug("SEEK_DATA / SEEK_HOLE and FIEMAP"));
        assertEquals("loading-the-kernels-order-of-checks", slug("Loading: the kernel's order of checks"));
        assertEquals(
                "what-happens-on-each-outcome-modulesigcheck", slug("What happens on each outcome (`ModuleSigCheck`)"));
    }

    @Test
    void theCheckRecognisesABrokenCitation() {
        Matcher m = MD_PATH.matcher(" * the check order of fallocate.md and docs/vfs.md#the-errno-matrix.");
        assertTrue(m.find());
        assertEquals("fallocate.md", m.group(1));
        assertFalse(MD_PATH.matcher("RealState.md5(x)").find(), "a Java member is no citation");
        assertFalse(MD_PATH.matcher("new File(dir, \"report.md\")").find(), "a file name a test writes is no citation");
        assertTrue(m.find());
        assertEquals("docs/vfs.md", m.group(1));
        assertEquals("#the-errno-matrix", m.group(2));
        Set<String> tracked = Set.of("docs/vfs.md", "bundles/x/README.md");
        assertEquals(null, resolve(tracked, Path.of("bundles/x/src/A.java"), "fallocate.md"));
        assertEquals("docs/vfs.md", resolve(tracked, Path.of("bundles/x/src/A.java"), "docs/vfs.md"));
        assertEquals("bundles/x/README.md", resolve(tracked, Path.of("bundles/x/pom.xml"), "README.md"));
    }

    /** {@code cited} relative to the citing file's directory, else to the root; null if neither is tracked. */
    static String resolve(Set<String> tracked, Path citing, String cited) {
        Path dir = citing.getParent();
        if (dir != null) {
            String rel = dir.resolve(cited).normalize().toString().replace('\\', '/');
            if (tracked.contains(rel)) {
                return rel;
            }
        }
        String fromRoot = Path.of(cited).normalize().toString().replace('\\', '/');
        return tracked.contains(fromRoot) ? fromRoot : null;
    }

    private static Set<String> anchors(Path md) throws IOException {
        Set<String> out = new HashSet<>();
        boolean fence = false;
        for (String line : Files.readAllLines(md, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                fence = !fence;
            } else if (!fence && line.startsWith("#")) {
                out.add(slug(line.replaceFirst("^#+\\s*", "")));
            }
        }
        return out;
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    static String slug(String heading) {
        StringBuilder b = new StringBuilder();
        for (char c : heading.trim().toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                b.append(c);
            } else if (c == ' ') {
                b.append('-');
            }
        }
        return b.toString();
    }

    private static boolean isText(Path rel) {
        String name = rel.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return TEXT.contains(dot < 0 ? "" : name.substring(dot + 1));
    }

    private static String read(Path p) throws IOException {
        if (!Files.isRegularFile(p) || Files.size(p) > 2_000_000) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p)))
                    .toString();
        } catch (CharacterCodingException binary) {
            return null;
        }
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("testing/pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + here);
    }

    /** {@code git ls-files} where git and the repository are there, else every file outside build output. */
    static List<Path> trackedFiles(Path root) throws IOException, InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z")
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = git.getInputStream().readAllBytes();
            if (git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0 && out.length > 0) {
                List<Path> files = new ArrayList<>();
                for (String s : new String(out, StandardCharsets.UTF_8).split("\0")) {
                    if (!s.isEmpty()) {
                        files.add(Path.of(s));
                    }
                }
                return files;
            }
        } catch (IOException noGit) {
            // fall through to the walk
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(root::relativize)
                    .filter(p -> !p.toString().contains("target") && !p.startsWith(".git"))
                    .toList();
        }
    }
}
