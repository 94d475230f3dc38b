package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.Test;
import org.kmodel.kernel.Errno;

/**
 * Issue 12: the bad-input corpus. Every command the shell offers ({@code help}, plus the function commands it
 * does not list) times malformed arguments, run in one ./kmodel session, each case between two marker
 * commands, stdout and stderr merged in order. Each case must print exactly one line
 * {@code cmd: what failed: strerror} with a strerror of {@link Errno}, no stack trace, and fail (a case that
 * prints no error line succeeded: wrong status). The state is snapshotted (taint, sysctl, modules, mounts,
 * directory listings, tasks, trace events) before and after the whole corpus; the two must be equal. The table
 * goes to stdout and to target/issue12-corpus.md.
 */
public class Issue12BadInputCorpusIT {
    static final String MARK = "3.15.0-kmodel";
    static final List<String> MALFORMED = List.of("--no-such-option", "-Z", "/nonexistent/dir/x", "''");
    /** Hidden on purpose (the command gate): they answer "command not found"; the policy test checks them. */
    static final Pattern GATED = Pattern.compile(
            "felix:(install|start|stop|update|uninstall|refresh|resolve|bundlelevel|frameworklevel|cd|ls)|scr:(enable|disable)|cm:.*");
    /**
     * Felix's own read-only commands, kept as Felix ships them: for a bad argument they print a notice and
     * succeed ("No matching bundles found."), which changes nothing. Counted, not judged.
     */
    static final Set<String> THIRD_PARTY = Set.of(
            "felix:help",
            "felix:lb",
            "felix:log",
            "felix:inspect",
            "felix:headers",
            "felix:which",
            "scr:info",
            "scr:list",
            "scr:config");
    /**
     * Not malformed for this command: a task name may hold a '/' (kworker/0:1), so this spawns a task; bash's echo
     * prints every word, options it does not know included ({@code echo -Z} prints "-Z"); a lone word is grep's
     * PATTERN, searched for in the empty stdin: no match, status 1 and no line, as GNU grep.
     */
    static final Set<String> WELL_FORMED = Set.of(
            "mm:spawn /nonexistent/dir/x",
            "vfs:echo --no-such-option",
            "vfs:echo -Z",
            "vfs:echo /nonexistent/dir/x",
            "vfs:echo ''",
            "vfs:grep /nonexistent/dir/x",
            "vfs:grep ''");

    static final List<String> SNAPSHOT = List.of(
            "cat /proc/sys/kernel/tainted",
            "lsmod",
            "cat /proc/mounts",
            "sysctl -a",
            "ls -la / /tmp /data /dev/shm /proc/sys/kernel",
            "mm:ps",
            "trace-cmd list -e",
            "feature:list",
            "df");

    /**
     * One clear error line: it ends in {@code ": "} and a strerror text of {@link Errno}, and what stands before
     * that names what failed, either as the runner prints it ({@code cmd: what failed: strerror}) or as the real
     * tool prints it itself, verbatim: {@code perror(arg)}, the malformed argument and the strerror (xfs_io's
     * line for a file it cannot open, io/open.c openfile; for the empty argument the line is ": strerror").
     */
    static boolean clearErrnoLine(String line, String command, String argument, Set<String> strerrors) {
        int colon = line.lastIndexOf(": ");
        if (colon < 0 || !strerrors.contains(line.substring(colon + 2))) {
            return false;
        }
        String arg = argument.equals("''") ? "" : argument;
        return line.startsWith(command + ": ") || line.substring(0, colon).equals(arg);
    }

    @Test
    public void clearErrnoLinesAreTheRunnersOrTheToolsVerbatimPerror() {
        Set<String> strerrors = Set.of(Errno.ENOENT.strerror(), Errno.EINVAL.strerror());
        assertTrue(clearErrnoLine("vfs:ls: cannot access '-Z': No such file or directory", "vfs:ls", "-Z", strerrors));
        assertTrue(clearErrnoLine(
                "/nonexistent/dir/x: No such file or directory", "vfs:xfs_io", "/nonexistent/dir/x", strerrors));
        assertTrue(clearErrnoLine(": No such file or directory", "vfs:xfs_io", "''", strerrors));
        assertFalse(
                "another path is not the tool's perror of this argument",
                clearErrnoLine("/etc/x: No such file or directory", "vfs:xfs_io", "/nonexistent/dir/x", strerrors));
        assertFalse(
                "no strerror at the end",
                clearErrnoLine("vfs:ls: cannot access '-Z': oops", "vfs:ls", "-Z", strerrors));
        assertFalse(
                "a bare strerror names nothing",
                clearErrnoLine("No such file or directory", "vfs:xfs_io", "-Z", strerrors));
    }

    @Test
    public void everyCommandTimesMalformedArgumentsFailsWithOneErrnoLineAndChangesNothing() throws Exception {
        Path state = Files.createTempDirectory("kmodel-issue12-corpus");
        try {
            Issue12Kmodel.Run help = Issue12Kmodel.run(state, "-c", "felix:help"); // one scope:name a line
            Set<String> commands = new TreeSet<>(help.out()
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList());
            commands.add("module:sign-file");
            commands.add("trace:trace-cmd");
            commands.removeIf(c -> GATED.matcher(c).matches());
            // exit and quit end the session by design (a bad argument is status 2, as bash's exit gives)
            commands.removeIf(c -> c.matches("(.*:)?(exit|quit)"));
            assertTrue(help.toString(), commands.size() > 60);
            List<String> judged = new ArrayList<>();
            int thirdParty = 0;
            for (String c : commands) {
                if (THIRD_PARTY.contains(c)) {
                    thirdParty += MALFORMED.size();
                    continue;
                }
                for (String a : MALFORMED) {
                    if (!WELL_FORMED.contains(c + " " + a)) {
                        judged.add(c + " " + a);
                    }
                }
            }
            StringBuilder script = new StringBuilder();
            SNAPSHOT.forEach(s -> script.append(s).append('\n'));
            for (String c : judged) {
                script.append("uname -r\n").append(c).append('\n');
            }
            script.append("uname -r\n");
            SNAPSHOT.forEach(s -> script.append(s).append('\n'));
            Path file = state.resolve("corpus.txt");
            Files.writeString(file, script);
            String merged = runMerged(state, file);

            List<List<String>> blocks = new ArrayList<>();
            List<String> cur = new ArrayList<>();
            for (String line : merged.split("\n", -1)) {
                if (line.equals(MARK)) {
                    blocks.add(cur);
                    cur = new ArrayList<>();
                } else {
                    cur.add(line);
                }
            }
            blocks.add(cur);
            assertEquals("one block per case plus the two snapshots", judged.size() + 2, blocks.size());
            String before = String.join("\n", blocks.get(0));
            String after = String.join("\n", blocks.get(blocks.size() - 1)).stripTrailing();

            Set<String> strerrors = new TreeSet<>();
            for (Errno e : Errno.values()) {
                strerrors.add(e.strerror());
            }
            int clear = 0;
            int traces = 0;
            int wrongStatus = 0;
            int internal = 0;
            Map<String, List<String>> findings = new LinkedHashMap<>();
            for (int i = 0; i < judged.size(); i++) {
                List<String> out =
                        blocks.get(i + 1).stream().filter(l -> !l.isEmpty()).toList();
                String c = judged.get(i);
                boolean trace = out.stream().anyMatch(l -> l.startsWith("\tat ") || l.matches("^\\s+at .*\\(.*\\)$"));
                if (trace) {
                    traces++;
                }
                if (out.size() != 1) {
                    if (out.isEmpty()) {
                        wrongStatus++;
                    }
                    findings.put(c, out);
                    continue;
                }
                String line = out.get(0);
                int space = c.indexOf(' ');
                boolean errnoLine = clearErrnoLine(line, c.substring(0, space), c.substring(space + 1), strerrors);
                if (line.contains(": internal error: ")) {
                    internal++;
                }
                if (errnoLine) {
                    clear++;
                } else {
                    wrongStatus += looksLikeError(line) ? 0 : 1;
                    findings.put(c, out);
                }
            }
            boolean stateChanged = !before.equals(after);
            String table = "| cases | clear errno | stack traces | wrong status | internal errors | state changed |"
                    + " Felix read-only (not judged) |\n|---|---|---|---|---|---|---|\n"
                    + "| " + judged.size() + " | " + clear + " | " + traces + " | " + wrongStatus + " | " + internal
                    + " | "
                    + (stateChanged ? 1 : 0) + " | " + thirdParty + " |\n";
            StringBuilder report = new StringBuilder(
                    "Issue 12 bad-input corpus: " + commands.size() + " commands x " + MALFORMED + "\n\n" + table);
            findings.forEach(
                    (c, out) -> report.append("\n- `").append(c).append("` -> ").append(out));
            if (stateChanged) {
                report.append("\n\nstate before:\n")
                        .append(before)
                        .append("\nstate after:\n")
                        .append(after);
            }
            System.out.println(report);
            File target = new File(System.getProperty("kmodel.itest.dir", "target/itest")).getParentFile();
            Files.writeString(new File(target, "issue12-corpus.md").toPath(), report + "\n");
            assertTrue(report.toString(), findings.isEmpty());
            assertEquals(report.toString(), judged.size(), clear);
            assertEquals(report.toString(), 0, traces);
            assertEquals(report.toString(), 0, internal);
            assertEquals(report.toString(), before, after);
        } finally {
            Issue12Kmodel.delete(state);
        }
    }

    private static boolean looksLikeError(String line) {
        return line.contains(": ");
    }

    private static String runMerged(Path state, Path script) throws Exception {
        ProcessBuilder pb = Issue12Kmodel.builder(state, "-f", script.toString());
        Path out = Files.createTempFile("kmodel-corpus", ".txt");
        try {
            pb.redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(new File("/dev/null"));
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kmodel did not finish the corpus");
            }
            assertEquals("the session fails because its commands failed", 1, p.exitValue());
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
