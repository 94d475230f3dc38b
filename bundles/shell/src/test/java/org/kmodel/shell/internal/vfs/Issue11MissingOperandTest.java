package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * Issue 11: GNU cat and ls go on past an operand they cannot access. The good operands' output is printed, one
 * {@code tool: what: strerror} line per bad operand goes to stderr, and the status is non-zero (cat 1, ls 2). The
 * expected text is what the host's GNU coreutils (9.1, measured on this machine) print on the same tree: the
 * recorded words below, and, where the host has cat and ls, the live output of both on a copy of the tree.
 */
class Issue11MissingOperandTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final FileCommands files = new FileCommands();
    private final TreeCommands tree = new TreeCommands();

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
            List.of("ls", "nope", "d", "a", "b"));

    Issue11MissingOperandTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        files.vfs = vfs;
        tree.vfs = vfs;
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
