package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The README's examples, run verbatim (issue 11): every {@code ./kmodel ...} line of a fenced block, and each
 * tour ({@code kmodel$ ...} lines of a {@code text} block) as one script on stdin. An example passes when it
 * ends, prints no Java stack trace or class name, every stderr line reads {@code cmd: message}, and it exits 0,
 * or non-zero where the README says so next to it ({@code echo $?}, "exit status", an errno name, or the
 * error line printed below it).
 *
 * <p>By default the tours and the shell section run (about 30 s); {@code -Dkmodel.readme.all=true} runs every
 * example (several minutes: {@code mm:table} alone replays every design). Lines that need files a clone does
 * not have (a placeholder path, a host directory of the reader's) are listed as skipped.
 */
public class ReadmeExamplesIT {
    static final File ROOT = LauncherIT.ROOT;
    static final Pattern ERROR_LINE = Pattern.compile("[\\w:./-]+: .+");
    static final Pattern DOCUMENTED_FAILURE =
            Pattern.compile("echo \\$\\?|exit status|\\bE[A-Z]{2,}\\b|\\(exit|fails|refuses");
    static final Pattern JAVA_NAME = Pattern.compile("\\b(java|javax|org|com)\\.[\\w.]+(Exception|Error)\\b");
    static File state;

    record Example(int line, String text, String next, boolean inShellSection) {}

    @BeforeClass
    public static void stateDir() throws IOException {
        state = Files.createTempDirectory("kmodel-readme-it").toFile();
    }

    @AfterClass
    public static void remove() throws IOException {
        try (Stream<Path> paths = Files.walk(state.toPath())) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    static boolean all() {
        return Boolean.getBoolean("kmodel.readme.all");
    }

    static List<String> readme() throws IOException {
        return Files.readAllLines(new File(ROOT, "README.md").toPath(), StandardCharsets.UTF_8);
    }

    /** The ./kmodel lines of fenced blocks, with the line after each (an expected error is printed there). */
    static List<Example> commandLines(List<String> lines) {
        List<Example> out = new ArrayList<>();
        boolean fenced = false;
        boolean shellBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("```")) {
                fenced = !fenced;
                shellBlock = fenced && blockMentions(lines, i, "/proc/sys/vm/drop_caches");
                continue;
            }
            String s = l.strip();
            if (fenced && (s.startsWith("./kmodel ") || s.matches("printf .*\\| \\./kmodel.*"))) {
                out.add(new Example(i + 1, s, i + 1 < lines.size() ? lines.get(i + 1) : "", shellBlock));
            }
        }
        return out;
    }

    private static boolean blockMentions(List<String> lines, int start, String text) {
        for (int j = start + 1; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
            if (lines.get(j).contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** The tours: the kmodel$ lines of each text block, prompt and trailing comment removed. */
    static List<List<String>> tours(List<String> lines) {
        List<List<String>> tours = new ArrayList<>();
        List<String> cur = null;
        for (String l : lines) {
            if (l.startsWith("```")) {
                if (cur != null && !cur.isEmpty()) {
                    tours.add(cur);
                }
                cur = l.equals("```text") ? new ArrayList<>() : null;
                continue;
            }
            if (cur != null && l.startsWith("kmodel$ ")) {
                cur.add(l.substring("kmodel$ ".length())
                        .replaceFirst("\\s+#.*$", "")
                        .strip());
            }
        }
        return tours;
    }

    static boolean needsReadersFiles(String text) {
        return text.contains("/path/to")
                || text.contains("...")
                || text.contains(".events.tsv")
                || text.contains("/tmp/somedir");
    }

    static LauncherIT.Run bash(String script, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(ROOT);
        pb.environment().put("KMODEL_NO_BUILD", "1");
        pb.environment().put("KMODEL_STATE", state.getPath());
        File out = File.createTempFile("out", ".txt", state);
        File err = File.createTempFile("err", ".txt", state);
        pb.redirectOutput(out).redirectError(err);
        if (stdin == null) {
            pb.redirectInput(new File("/dev/null"));
        }
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        if (!p.waitFor(all() ? 600 : 120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end: " + script);
        }
        return new LauncherIT.Run(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    static void assertClean(String what, LauncherIT.Run r) {
        String both = r.out + r.err;
        assertFalse(
                what + " printed a stack trace or a Java class name:\n" + both,
                both.contains("\tat ") || JAVA_NAME.matcher(both).find());
        if (r.status != 0) { // a failure says why in one line per error; progress lines of a success are free
            for (String line : r.err.split("\n")) {
                assertTrue(
                        what + ": not a 'cmd: message' line: " + line,
                        line.isEmpty() || ERROR_LINE.matcher(line).matches());
            }
        }
    }

    @Test
    public void tours() throws Exception {
        List<List<String>> tours = tours(readme());
        assertTrue("the README has its tours", tours.size() >= 2);
        for (List<String> tour : tours) {
            List<String> runnable =
                    tour.stream().filter(t -> !needsReadersFiles(t)).toList();
            LauncherIT.Run r = bash("./kmodel", String.join("\n", runnable) + "\n");
            assertClean("tour " + runnable, r);
            assertEquals("tour " + runnable + "\n" + r.err, 0, r.status);
        }
    }

    @Test
    public void commandLineExamples() throws Exception {
        List<String> skipped = new ArrayList<>();
        int ran = 0;
        for (Example e : commandLines(readme())) {
            if (needsReadersFiles(e.text())) {
                skipped.add("README.md:" + e.line() + " " + e.text());
                continue;
            }
            if (!all() && !e.inShellSection()) {
                continue;
            }
            String what = "README.md:" + e.line() + ": " + e.text();
            LauncherIT.Run r = bash(e.text(), null);
            ran++;
            assertClean(what, r);
            // the line below the command, as the README shows output ("# cmd: message")
            String below = e.next().startsWith("# ") ? e.next().substring(2) : e.next();
            boolean documented = DOCUMENTED_FAILURE.matcher(e.text()).find()
                    || ERROR_LINE.matcher(below).matches() && !below.startsWith("./kmodel");
            if (!documented) {
                assertEquals(what + "\n" + r.out + r.err, 0, r.status);
            }
        }
        Files.deleteIfExists(new File(ROOT, "t.svg").toPath()); // mm:table --chart t.svg writes it
        System.out.println(
                "README examples run: " + ran + (all() ? "" : " (shell section; -Dkmodel.readme.all=true for all)")
                        + "; skipped (need the reader's files): " + skipped);
        assertTrue(ran >= 4);
    }
}
