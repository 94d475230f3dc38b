package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.shell.internal.session.ExitStatus;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 11: GNU cat, ls and grep go on past an operand they cannot access. The good operands' output is printed, one
 * {@code tool: what: strerror} line per bad operand goes to stderr, and the status is non-zero (cat 1, ls 2, grep 2 unless {@code -q} selected a line). The
 * expected text is what the host's GNU coreutils (9.1, measured on this machine) print on the same tree: the
 * recorded words below, and, where the host has them, the live output of cat, ls and GNU grep 3.8 on a copy of
 * the tree.
 */
class Issue11MissingOperandTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final FileCommands files = new FileCommands();
    private final TreeCommands tree = new TreeCommands();
    private final TextCommands text = new TextCommands();

    /** What a command printed on stdout and stderr, and its status. */
    record Run(String out, String err, int status) {}

    /** The commands compared with the host: each fails on a missing operand and prints the others. */
    static final List<List<String>> CASES = List.of(
            List.of("cat", "nope", "a"),
            List.of("cat", "a", "nope", "b", "nope2"),
            List.of("cat", "b", "nope"),
            List.of("ls", "nope", "d"),
            List.of("ls", "d", "nope"),
            List.of("ls", "nope", "a"),
            List.of("ls", "-R", "nope", "d"),
            List.of("ls", "nope1", "nope2", "d/sub", "d/x"),
            List.of("ls", "nope", "d", "a", "b"),
            List.of("grep", "hello", "nope", "a"),
            List.of("grep", "-e", "hello", "-e", "no", "a", "nope", "b", "nope2"),
            List.of("grep", "-q", "hello", "nope", "a"),
            List.of("grep", "-q", "hello", "a", "nope"),
            List.of("grep", "-s", "hello", "a", "nope", "b"),
            List.of("grep", "-c", "hello", "a", "nope", "b"),
            List.of("grep", "-l", "o", "nope", "a", "b"),
            List.of("grep", "-h", "hello", "nope", "a"),
            List.of("grep", "hello", "d", "a"));

    Issue11MissingOperandTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        files.vfs = vfs;
        tree.vfs = vfs;
        text.vfs = vfs;
        // the tree: a "hello\n", b "no newline" (no newline), d/ with sub/, x and y
        files.write("/a", "hello");
        try (OpenFile f = vfs.open("/b", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644)) {
            byte[] b = "no newline".getBytes(StandardCharsets.UTF_8);
            f.write(b, 0, b.length);
        }
        tree.mkdir("-p", "/d/sub");
        files.touch("/d/x", "/d/y");
    }

    private Run model(List<String> cmd) {
        if (cmd.get(0).equals("grep")) {
            return grep(cmd.subList(1, cmd.size()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = cmd.subList(1, cmd.size()).toArray(new String[0]);
        ExitStatus x = assertThrows(
                ExitStatus.class,
                () -> {
                    if (cmd.get(0).equals("cat")) {
                        files.cat(out, err, args);
                    } else {
                        files.ls(out, err, args);
                    }
                },
                String.join(" ", cmd));
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), x.status());
    }

    /** grep's status as GNU's: 0 a line selected, 1 none, 2 a file could not be read (ExitStatus). */
    private Run grep(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            status = text.grep(args, new ByteArrayInputStream(new byte[0]), out, err) ? 0 : 1;
        } catch (ExitStatus x) {
            status = x.status();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    @Test
    void grepSearchesTheFilesAroundAMissingOne() {
        // GNU grep 3.8: one line per missing file, in order between the other files' lines, status 2
        assertEquals(
                new Run("a:hello\n", "grep: nope: No such file or directory\n", 2),
                grep(List.of("hello", "nope", "a")));
        assertEquals(
                new Run(
                        "a:hello\nb:no newline\n",
                        "grep: nope: No such file or directory\ngrep: nope2: No such file or directory\n",
                        2),
                grep(List.of("-e", "hello", "-e", "no", "a", "nope", "b", "nope2")));
        assertEquals(
                new Run("a:1\nb:0\n", "grep: nope: No such file or directory\n", 2),
                grep(List.of("-c", "hello", "a", "nope", "b")));
        // -s: no message, still status 2
        assertEquals(new Run("a:hello\n", "", 2), grep(List.of("-s", "hello", "a", "nope", "b")));
        // -q: a selected line is status 0; the files after it are not opened, the ones before it said so
        assertEquals(
                new Run("", "grep: nope: No such file or directory\n", 0), grep(List.of("-q", "hello", "nope", "a")));
        assertEquals(new Run("", "", 0), grep(List.of("-q", "hello", "a", "nope")));
        assertEquals(new Run("a:hello\n", "grep: d: Is a directory\n", 2), grep(List.of("hello", "d", "a")));
        // a single bad file and nothing printed: the one line the runner prints
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KernelException e = assertThrows(
                KernelException.class,
                () -> text.grep(List.of("zzz", "nope", "a"), new ByteArrayInputStream(new byte[0]), out, out));
        assertEquals("nope: No such file or directory", e.getMessage());
        assertEquals(0, out.size());
    }

    @Test
    void catPrintsTheFilesAfterAMissingOne() {
        // GNU cat 9.1: stderr "cat: nope: No such file or directory", stdout "hello\n", status 1
        assertEquals(
                new Run("hello\n", "cat: nope: No such file or directory\n", 1), model(List.of("cat", "nope", "a")));
        assertEquals(
                new Run(
                        "hello\nno newline",
                        "cat: nope: No such file or directory\ncat: nope2: No such file or directory\n",
                        1),
                model(List.of("cat", "a", "nope", "b", "nope2")));
    }

    @Test
    void lsListsTheOtherOperandsWithTheirHeaders() {
        // GNU ls 9.1: the error first, then "d:" as a header (two operands were given), status 2
        assertEquals(
                new Run("d:\nsub\nx\ny\n", "ls: cannot access 'nope': No such file or directory\n", 2),
                model(List.of("ls", "nope", "d")));
        assertEquals(
                new Run("d:\nsub\nx\ny\n", "ls: cannot access 'nope': No such file or directory\n", 2),
                model(List.of("ls", "d", "nope")));
    }

    @Test
    void aSingleBadOperandAloneIsStillTheOneLineTheRunnerPrints() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KernelException e = assertThrows(KernelException.class, () -> files.cat(out, out, "nope"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("nope: No such file or directory", e.getMessage());
        e = assertThrows(KernelException.class, () -> files.ls(out, out, "nope"));
        assertEquals("cannot access 'nope': No such file or directory", e.getMessage());
        assertEquals(0, out.size());
        // nothing missing: the output is the value, as before, and nothing is written to the streams
        assertEquals("hello\nno newline", files.cat(out, out, "a", "b"));
        assertEquals("d:\nsub\nx\ny\n\nd/sub:\n", files.ls(out, out, "-R", "d") + "\n");
        assertEquals(0, out.size());
    }

    @Test
    void theSameAsTheHostsGnuCatAndLsOnTheSameTree() throws Exception {
        assumeTrue(HostTools.has("ls", "--version"), "no ls on the host: compared with the recorded words only");
        assumeTrue(HostTools.has("grep", "--version"), "no grep on the host: compared with the recorded words only");
        Path dir = Files.createTempDirectory("kmodel-issue11-operands");
        try {
            Files.writeString(dir.resolve("a"), "hello\n");
            Files.writeString(dir.resolve("b"), "no newline");
            Files.createDirectories(dir.resolve("d/sub"));
            Files.createFile(dir.resolve("d/x"));
            Files.createFile(dir.resolve("d/y"));
            for (List<String> cmd : CASES) {
                assertEquals(host(dir, cmd), model(cmd), String.join(" ", cmd));
            }
        } finally {
            HostTools.run(List.of("rm", "-rf", dir.toString()));
        }
    }

    /** The host's tool run in {@code dir}, C locale (coreutils' untranslated words). */
    private static Run host(Path dir, List<String> cmd) throws Exception {
        Path o = Files.createTempFile("kmodel-issue11-out", "");
        Path e = Files.createTempFile("kmodel-issue11-err", "");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd))
                    .directory(dir.toFile())
                    .redirectOutput(o.toFile())
                    .redirectError(e.toFile());
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
            return new Run(
                    Files.readString(o, StandardCharsets.UTF_8),
                    Files.readString(e, StandardCharsets.UTF_8),
                    p.exitValue());
        } finally {
            Files.deleteIfExists(o);
            Files.deleteIfExists(e);
        }
    }
}
