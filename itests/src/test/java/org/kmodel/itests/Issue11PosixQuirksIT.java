package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 11: ordinary coreutils usage typed through {@code ./kmodel} in {@code -c}, {@code -f} and piped mode, as
 * bash and GNU print it: {@code head -2}, {@code tail -n +2}, {@code echo ---/-n/-e}, {@code grep -E/-c/-i}, {@code cat}
 * reading the pipe, the error line named after the pipe element that failed (last and middle), and
 * {@code modprobe -n -v} printing the model's {@code /lib/modules} path, never the host's.
 */
public class Issue11PosixQuirksIT {
    static final List<String> SCRIPT = List.of(
            "echo -e 'one\\ntwo\\nthree' > /tmp/t",
            "head -2 /tmp/t",
            "cat /tmp/t | tail -1",
            "tail -n +3 /tmp/t",
            "echo ---",
            "echo -n x",
            "echo y",
            "dmesg | grep -E 'Linux|taint' | head -1",
            "dmesg | grep -c -i LINUX",
            "cat /tmp/t | cat | head -c 3",
            "echo",
            "dmesg | grep -Z x",
            "dmesg | tail -Z | wc -l",
            "modprobe -n -v kmodel_oot");
    static final String OUT_START = "one\ntwo\nthree\nthree\n---\nxy\n";
    static final String OUT_END = "1\none\n0\ninsmod /lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko\n";
    static final String ERR =
            "grep: invalid option -- 'Z': Invalid argument\ntail: invalid option -- 'Z': Invalid argument\n";
    static File state;

    @BeforeClass
    public static void stateDir() throws Exception {
        state = Files.createTempDirectory("kmodel-issue11-posix").toFile();
    }

    @AfterClass
    public static void remove() throws Exception {
        Issue12Kmodel.delete(state.toPath());
    }

    @Test
    public void commandLineMode() throws Exception {
        check(LauncherIT.kmodelIn(null, state, null, "-c", String.join("; ", SCRIPT)));
    }

    @Test
    public void scriptFileMode() throws Exception {
        Path f = new File(state, "issue11.kmodel").toPath();
        Files.writeString(f, String.join("\n", SCRIPT) + "\n", StandardCharsets.UTF_8);
        check(LauncherIT.kmodelIn(null, state, null, "-f", f.toString()));
    }

    @Test
    public void pipedMode() throws Exception {
        check(LauncherIT.kmodelIn(null, state, String.join("\n", SCRIPT) + "\n"));
    }

    /**
     * cat and ls go on past a missing operand, as GNU coreutils 9.1 does on the same tree (bash, measured on this
     * machine): the other operands are printed, one error line per missing one, and the failure status (the runner's
     * 1; GNU cat 1, ls 2). A redirection gets the good files' content, a pipe counts it.
     */
    @Test
    public void missingOperandDoesNotStopCatOrLs() throws Exception {
        LauncherIT.Run r = LauncherIT.kmodelIn(
                null,
                state,
                null,
                "-c",
                "mkdir -p /tmp/op/d/sub; touch /tmp/op/d/x; echo hello > /tmp/op/a; cat /tmp/op/nope /tmp/op/a; "
                        + "ls /tmp/op/nope /tmp/op/d; cat /tmp/op/nope /tmp/op/a > /tmp/op/c; cat /tmp/op/c; "
                        + "cat /tmp/op/nope /tmp/op/a | wc -l");
        String all = r.out + r.err;
        assertEquals(all, "hello\n/tmp/op/d:\nsub\nx\nhello\n1\n", r.out);
        assertEquals(
                all,
                "cat: /tmp/op/nope: No such file or directory\n"
                        + "ls: cannot access '/tmp/op/nope': No such file or directory\n"
                        + "cat: /tmp/op/nope: No such file or directory\n"
                        + "cat: /tmp/op/nope: No such file or directory\n",
                r.err);
        assertEquals(all, 1, r.status);
    }

    /**
     * grep goes on past a missing file, as GNU grep 3.8 does on the same tree (measured on this machine): one line
     * per missing file on stderr, the other files' lines on stdout, status 2 (the runner's 1) unless -q selected a
     * line. A pipe gets the good files' lines.
     */
    @Test
    public void missingFileDoesNotStopGrep() throws Exception {
        LauncherIT.Run r = LauncherIT.kmodelIn(
                null,
                state,
                null,
                "-c",
                "mkdir -p /tmp/og; echo hello > /tmp/og/a; echo hello x > /tmp/og/b; "
                        + "grep hello /tmp/og/a /tmp/og/nope /tmp/og/b /tmp/og/nope2; grep -q hello /tmp/og/nope /tmp/og/a; "
                        + "grep hello /tmp/og/nope /tmp/og/a | wc -l");
        String all = r.out + r.err;
        assertEquals(all, "/tmp/og/a:hello\n/tmp/og/b:hello x\n1\n", r.out);
        assertEquals(
                all,
                "grep: /tmp/og/nope: No such file or directory\n"
                        + "grep: /tmp/og/nope2: No such file or directory\n"
                        + "grep: /tmp/og/nope: No such file or directory\n"
                        + "grep: /tmp/og/nope: No such file or directory\n",
                r.err);
        assertEquals(all, 1, r.status);
    }

    private static void check(LauncherIT.Run r) {
        String all = r.out + r.err;
        assertEquals(all, 1, r.status); // the two bad options fail the session
        assertTrue(all, r.out.startsWith(OUT_START));
        assertTrue(all, r.out.contains("] Linux version 3.15.0-kmodel"));
        assertTrue(all, r.out.endsWith(OUT_END));
        assertEquals(all, 6 + 1 + 4, r.out.split("\n", -1).length - 1);
        assertEquals(all, ERR, r.err);
        assertFalse("no host path: " + all, all.contains(LauncherIT.ROOT.getPath()));
    }
}
