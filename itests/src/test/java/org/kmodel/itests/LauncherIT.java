package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The launcher end to end, as a user runs it (issue 2 acceptance): ./kmodel -c, piped stdin, --release,
 * one-line errors and exit status. Runs the repository's ./kmodel with KMODEL_NO_BUILD=1 against the
 * distribution this build assembled, with a throw-away state directory.
 */
public class LauncherIT {
    static final File ROOT = new File(System.getProperty("kmodel.dist", "../distribution/target/kmodel"))
            .getAbsoluteFile()
            .getParentFile()
            .getParentFile()
            .getParentFile();
    static File state;

    static final class Run {
        final int status;
        final String out;
        final String err;

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    @BeforeClass
    public static void stateDir() throws IOException {
        state = Files.createTempDirectory("kmodel-launcher-it").toFile();
    }

    @AfterClass
    public static void removeState() throws IOException {
        try (var paths = Files.walk(state.toPath())) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .map(java.nio.file.Path::toFile)
                    .forEach(File::delete);
        }
    }

    static Run kmodel(String stdin, String... args) throws Exception {
        return kmodelIn(null, state, stdin, args);
    }

    /** Runs ./kmodel in the working directory {@code dir} (null: inherited) with the state directory {@code state}. */
    static Run kmodelIn(File dir, File state, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(new File(ROOT, "kmodel").getPath());
        cmd.add("--state");
        cmd.add(state.getPath());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) {
            pb.directory(dir);
        }
        pb.environment().put("KMODEL_NO_BUILD", "1");
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
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kmodel did not exit: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    @Test
    public void acceptance() throws Exception {
        Run r = kmodel(null, "-c", "uname -r; cat /proc/sys/kernel/tainted; taint");
        assertEquals(r.err, 0, r.status);
        String[] lines = r.out.split("\n");
        assertEquals("3.15.0-kmodel", lines[0]);
        assertEquals("0", lines[1]);
        assertTrue(r.out, r.out.contains("TAINT_UNSIGNED_MODULE"));
        assertEquals("Not tainted", lines[lines.length - 1]);
        assertEquals("", r.err);
    }

    @Test
    public void unknownCommandIsOneLineAndNonZero() throws Exception {
        Run r = kmodel(null, "-c", "no-such-command");
        assertEquals(1, r.status);
        assertEquals("no-such-command: command not found\n", r.err);
        assertEquals("", r.out);
    }

    @Test
    public void pipedScriptKeepsGoingAndFailsAtTheEnd() throws Exception {
        Run r = kmodel("# a script\nsysctl kernel.nope\nsysctl -w kernel.tainted=12288\nuname -r\n");
        assertEquals(1, r.status);
        assertEquals("sysctl: cannot stat /proc/sys/kernel/nope: No such file or directory\n", r.err);
        assertEquals("kernel.tainted = 12288\n3.15.0-kmodel\n", r.out);
    }

    @Test
    public void releaseAndBootParameters() throws Exception {
        Run r = kmodel(
                null,
                "--release",
                "6.18",
                "-D",
                "module.sig_enforce=1",
                "-c",
                "uname -r; cat /proc/cmdline; sysctl -w kernel.tainted=12288; taint");
        assertEquals(r.err, 0, r.status);
        assertTrue(r.out, r.out.startsWith("6.18.0-kmodel\nmodule.sig_enforce=1\nkernel.tainted = 12288\n"));
        assertTrue(r.out, r.out.endsWith("Tainted: G           OE      \n"));
        Run bad = kmodel(null, "--release", "2.6", "-c", "uname -r");
        assertEquals(2, bad.status);
        assertEquals("kmodel: unknown release '2.6' (known: 3.13, 3.14, 3.15, 6.18)\n", bad.err);
    }

    /**
     * Issue 7: data written and never synced is there after restarting kmodel, on the ext4 root and on the xfs
     * mount below it (the shutdown writes back the page cache and unmounts children before parents).
     */
    @Test
    public void unsyncedWritesSurviveARestart() throws Exception {
        Run w = kmodel(null, "-c", "write /issue7-nosync.txt nosync; write /data/issue7-child.txt child");
        assertEquals(w.err, 0, w.status);
        Run r = kmodel(null, "-c", "cat /issue7-nosync.txt; cat /data/issue7-child.txt; cat /proc/mounts");
        assertEquals(r.err, 0, r.status);
        assertTrue(r.out, r.out.contains("/dev/loop0 / ext4 ") && r.out.contains("/dev/loop1 /data xfs "));
        assertTrue(r.out, r.out.startsWith("nosync\nchild\n"));
    }
}
