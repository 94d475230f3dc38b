package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.shell.internal.session.ExitStatus;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 11: the POSIX quirks a user hits typing coreutils usage: {@code echo ---}, {@code echo -n/-e},
 * {@code head -2}/{@code tail -2} (GNU's obsolete {@code -N}), {@code tail -n +N}, {@code head -c},
 * {@code grep -E/-F/-e/-i/-v/-c/-n/-w/-q}, {@code cat} reading stdin. Expected bytes are what bash 5's echo and
 * GNU coreutils 9 / grep 3 print for the same input.
 */
class Issue11TextCommandsTest {
    private static final String DMESG = """
            [    0.000000] Linux version 3.15.0-kmodel
            [    0.000100] Kernel command line:
            [    0.000200] module: kmodel_oot: loading out-of-tree module taints kernel.
            [    0.000300] Disabling lock debugging due to kernel taint
            """;
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final TextCommands text = new TextCommands();
    private final FileCommands files = new FileCommands();

    Issue11TextCommandsTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        text.vfs = vfs;
        files.vfs = vfs;
    }

    private static String echo(String... words) {
        return new String(TextCommands.echo(List.of(words)), StandardCharsets.UTF_8);
    }

    @Test
    void echoIsBashsBuiltin() {
        assertEquals("---\n", echo("---"));
        assertEquals("--help\n", echo("--help"));
        assertEquals("-Z x\n", echo("-Z", "x"));
        assertEquals("x", echo("-n", "x"));
        assertEquals("a\tb\n", echo("-e", "a\\tb"));
        assertEquals("a\\tb\n", echo("a\\tb"), "no escapes without -e");
        assertEquals("a\\tb\n", echo("-e", "-E", "a\\tb"), "the last of -e/-E wins");
        assertEquals("AB\u00e9\n", echo("-e", "\\x41\\0102\\u00e9"));
        assertEquals("a", echo("-e", "a\\cb", "c"), "\\c ends the output, newline included");
        assertEquals("x -n\n", echo("x", "-n"), "options only before the first word");
        assertEquals("\n", echo());
        assertEquals("\\q\n", echo("-e", "\\q"));
    }

    private String head(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.head(List.of(args), in(stdin), out, true);
        return out.toString(StandardCharsets.UTF_8);
    }

    private String tail(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.tail(List.of(args), in(stdin), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String lines(int from, int to) {
        return String.join(
                "",
                DMESG.lines().toList().subList(from, to).stream()
                        .map(l -> l + "\n")
                        .toList());
    }

    @Test
    void headAsGnuHead() throws Exception {
        assertEquals(lines(0, 2), head(DMESG, "-2"));
        assertEquals(lines(0, 2), head(DMESG, "-n", "2"));
        assertEquals(lines(0, 2), head(DMESG, "-n2"));
        assertEquals(lines(0, 2), head(DMESG, "--lines=2"));
        assertEquals(lines(0, 3), head(DMESG, "-n", "-1"), "all but the last line");
        assertEquals("[    0.", head(DMESG, "-c", "7"));
        assertEquals("[    0.", head(DMESG, "-c", "+7"), "a '+' sign is allowed");
        assertEquals(DMESG.substring(0, DMESG.length() - 3), head(DMESG, "-c", "-3"));
        assertEquals(DMESG, head(DMESG));
        assertEquals("a", head("a", "-n", "5"), "a last line without newline stays so");
        files.write("/f", "one");
        files.append("/f", "two");
        assertEquals(
                "==> /f <==\none\n\n==> - <==\n".replace("- <==", "standard input <=="),
                head("x\n", "-n", "1", "/f", "-").replace("x\n", ""));
        assertEquals("one\nx\n", head("x\n", "-q", "-n", "1", "/f", "-"));
        assertEquals("==> /f <==\none\n", head("", "-v", "-n", "1", "/f"));
        KernelException e = assertThrows(KernelException.class, () -> head("", "/nope"));
        assertEquals("cannot open '/nope' for reading: No such file or directory", e.getMessage());
        assertEquals(
                "invalid number of lines: 'x': Invalid argument",
                assertThrows(KernelException.class, () -> head("", "-n", "x")).getMessage());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> head("", "-Z")).errno());
    }

    @Test
    void tailAsGnuTail() throws Exception {
        assertEquals(lines(2, 4), tail(DMESG, "-2"));
        assertEquals(lines(2, 4), tail(DMESG, "-n", "2"));
        assertEquals(lines(2, 4), tail(DMESG, "-n", "+3"), "from line 3 on");
        assertEquals(DMESG, tail(DMESG, "-n", "+1"));
        assertEquals(DMESG, tail(DMESG, "-n", "+0"));
        assertEquals("", tail(DMESG, "-n", "0"));
        assertEquals("nt\n", tail(DMESG, "-c", "3"));
        assertEquals(DMESG.substring(4), tail(DMESG, "-c", "+5"));
        assertEquals("b\nc", tail("a\nb\nc", "-n", "2"), "a last line without newline counts");
        assertEquals(DMESG, tail(DMESG), "ten lines by default");
        files.write("/f", "one");
        files.append("/f", "two");
        assertEquals("two\n", tail("", "-1", "/f"));
        assertEquals("==> /f <==\ntwo\n\n==> standard input <==\nz\n", tail("z\n", "-n", "1", "/f", "-"));
        assertEquals(
                "cannot open '/nope' for reading: No such file or directory",
                assertThrows(KernelException.class, () -> tail("", "/nope")).getMessage());
    }

    private String grep(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean selected = text.grep(List.of(args), in(stdin), out, new ByteArrayOutputStream());
        return (selected ? "0|" : "1|") + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void grepAsGnuGrep() throws Exception {
        assertEquals("0|" + lines(0, 1) + lines(2, 4), grep(DMESG, "-E", "Linux|taint"));
        assertEquals("1|", grep(DMESG, "Linux|taint"), "basic: '|' is a literal");
        assertEquals("0|" + lines(0, 1) + lines(2, 4), grep(DMESG, "Linux\\|taint"), "basic: '\\|' alternates");
        assertEquals("0|" + lines(0, 1) + lines(2, 4), grep(DMESG, "-e", "Linux", "-e", "taint"));
        assertEquals("0|" + lines(0, 1), grep(DMESG, "-i", "linux"));
        assertEquals("0|2\n", grep(DMESG, "-c", "taint"));
        assertEquals("1|0\n", grep(DMESG, "-c", "nothing"));
        assertEquals("0|" + lines(1, 2), grep(DMESG, "-v", "-E", "Linux|taint|module"));
        assertEquals("0|3:" + lines(2, 3), grep(DMESG, "-n", "out-of-tree"));
        assertEquals("0|" + lines(2, 3), grep(DMESG, "-w", "taints"));
        assertEquals("0|" + lines(2, 3), grep(DMESG, "-w", "taint."), "'taints' followed by a space is a word");
        assertEquals("0|" + lines(3, 4), grep(DMESG, "-w", "taint"));
        assertEquals("0|", grep(DMESG, "-q", "Linux"));
        assertEquals("1|", grep(DMESG, "-q", "nothing"));
        assertEquals("0|" + lines(0, 1), grep(DMESG, "-F", "[    0.000000]"), "fixed string: brackets literal");
        assertEquals("0|Linux\n", grep(DMESG, "-o", "-E", "L[a-z]+"));
        assertEquals("0|" + lines(1, 2), grep(DMESG, "-x", "-E", "\\[ +0\\.000100\\] Kernel command line:"));
        assertEquals("0|" + lines(0, 1), grep(DMESG, "-E", "^\\[[[:space:]]+0\\.0{6}\\]"));
        assertEquals("0|" + lines(0, 2) + "--\n" + lines(3, 4), grep(DMESG, "-A", "1", "-E", "Linux|lock"));
        assertEquals("0|" + lines(0, 1), grep(DMESG, "-m", "1", "0\\.0"));
        files.write("/a", "Linux");
        files.write("/b", "BSD");
        assertEquals("0|/a:Linux\n", grep("", "Linux", "/a", "/b"));
        assertEquals("0|/a\n", grep("", "-l", "Linux", "/a", "/b"));
        assertEquals("0|/a:1\n/b:0\n", grep("", "-c", "Linux", "/a", "/b"));
        assertEquals("0|Linux\n", grep("", "-h", "Linux", "/a", "/b"));
        assertEquals("0|(standard input):x\n", grep("x\n", "-H", "x"));
        KernelException e = assertThrows(KernelException.class, () -> grep("", "x", "/nope"));
        assertEquals("/nope: No such file or directory", e.getMessage());
        assertThrows(ExitStatus.class, () -> grep("", "-s", "x", "/nope"));
        assertEquals("0|", grep("", "-q", "Linux", "/a", "/nope"), "-q: a match wins over a missing file");
        assertEquals(
                "invalid option -- 'Z': Invalid argument",
                assertThrows(KernelException.class, () -> grep("", "-Z", "x")).getMessage());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> grep("")).errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> grep("", "-E", "a(")).errno());
    }

    @Test
    void wordsGogoTurnedIntoNumbersAreGivenBackAsTyped() {
        // Gogo's Closure.eval: an unquoted word that parses as a number arrives as a Long or a Double
        assertEquals(
                List.of("-n", "+3", "/tmp/t"),
                TextCommands.words(new Object[] {"-n", 3L, "/tmp/t"}, "tail -n +3 /tmp/t"));
        assertEquals(
                List.of("007", "1e3", "-3", "+3"),
                TextCommands.words(new Object[] {7L, 1000.0, -3L, "+3"}, "echo 007 1e3 -3 '+3'"));
        assertEquals(
                List.of("-n", "+2", "f"),
                TextCommands.words(new Object[] {"-n", 2L, "f"}, "tail -n +2 f > /tmp/x 2>&1"));
        assertEquals(List.of("-n", "+2"), TextCommands.words(new Object[] {"-n", 2L}, "tail -n +2 >/tmp/x"));
        assertEquals(List.of("3"), TextCommands.words(new Object[] {3L}, "echo $x"), "a variable: as Gogo gives it");
        assertEquals(List.of("3"), TextCommands.words(new Object[] {3L}, "echo +4"), "not the same number: Gogo's");
        assertEquals(List.of("3"), TextCommands.words(new Object[] {3L}, null), "no statement text: Gogo's");
        assertEquals(
                List.of("a", "b", "003"),
                TextCommands.words(new Object[] {List.of("a", "b"), 3L}, "echo * 003"),
                "a glob is one word that became a list");
    }

    @Test
    void catReadsStdinWithoutOperandOrForADash() {
        InputStream saved = System.in;
        try {
            System.setIn(in("piped\n"));
            assertEquals("piped", files.cat());
            files.write("/f", "file");
            System.setIn(in("piped\n"));
            assertEquals("file\npiped", files.cat("/f", "-"));
            System.setIn(in(""));
            assertEquals("", files.cat(), "empty stdin: nothing, no error (GNU cat)");
        } finally {
            System.setIn(saved);
        }
        assertFalse(files.cat("/f").isEmpty());
        assertTrue(assertThrows(KernelException.class, () -> files.cat("/nope"))
                .getMessage()
                .contains("No such file"));
    }
}
