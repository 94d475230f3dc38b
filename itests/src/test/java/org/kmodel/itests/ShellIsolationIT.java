package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 11 acceptance: the shell lives inside the model. Every command with redirection, pipes, globs, cd and
 * path arguments pointed at /tmp, /etc, /proc and /sys, in -c, -f and piped mode, and afterwards no host file
 * outside the state directory was created or changed: a snapshot of the host places those paths name (the
 * launcher's working directory, /tmp and /etc two levels deep, the host's taint) is compared before and after.
 * Every name the commands use carries a per-run nonce, so other processes writing /tmp meanwhile cannot
 * disturb the comparison, and a file the model would have leaked is found wherever it landed.
 */
public class ShellIsolationIT {
    static File state;
    static File cwd;
    static String nonce;

    @BeforeClass
    public static void dirs() throws IOException {
        state = Files.createTempDirectory("kmodel-shell-it").toFile();
        cwd = Files.createTempDirectory("kmodel-shell-cwd").toFile();
        nonce = "kmprobe" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterClass
    public static void remove() throws IOException {
        for (File d : new File[] {state, cwd}) {
            try (Stream<Path> paths = Files.walk(d.toPath())) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .map(Path::toFile)
                        .forEach(File::delete);
            }
        }
        Files.deleteIfExists(Paths.get("/tmp", nonce + "-existing"));
    }

    /** The commands, each pointing somewhere a host shell would write; N is the nonce. */
    static String script() {
        return String.join(
                        "\n",
                        "mkdir -p /etc",
                        "echo probe > /tmp/@-new",
                        "echo more >> /tmp/@-new",
                        "echo probe > /tmp/@-existing",
                        "echo probe >> /tmp/@-existing",
                        "echo probe > /etc/@",
                        "mkdir -p /etc/@-dir",
                        "touch /etc/@-dir/f",
                        "ls /etc/@-dir > /tmp/@-ls",
                        "lsmod > /etc/@-lsmod",
                        "echo err 2> /tmp/@-err",
                        "echo 4609 > /proc/sys/kernel/tainted",
                        "echo 3 > /proc/sys/vm/drop_caches",
                        "echo 1 > /sys/kernel/tracing/tracing_on",
                        "modprobe kmodel_oot",
                        "cat /proc/modules | grep OE > /tmp/@-pipe",
                        "cd /tmp",
                        "echo rel > @-rel",
                        "cd /",
                        "head -n 1 /tmp/@-new > /etc/@-head",
                        "tail -n 1 /tmp/@-new >> /etc/@-head",
                        "wc -l /tmp/@-new > /tmp/@-wc",
                        "sort < /tmp/@-new > /tmp/@-sort",
                        "write /tmp/@-write x",
                        "append /tmp/@-write y",
                        "truncate -s 1k /tmp/@-trunc",
                        "mv /tmp/@-trunc /etc/@-moved",
                        "ln -s /etc/@-moved /tmp/@-link",
                        "mknod /tmp/@-fifo p",
                        "fallocate -l 4096 /tmp/@-fa",
                        "xfs_io -f -c 'pwrite -q 0 4k' /etc/@-xfsio",
                        "echo /tmp/@-*",
                        "cat /tmp/@-new /tmp/@-existing /etc/@ /tmp/@-ls /tmp/@-pipe /tmp/@-rel /etc/@-head /tmp/@-sort",
                        "cat /proc/sys/kernel/tainted /sys/kernel/tracing/tracing_on /etc/@-lsmod",
                        "ls /etc/@-moved /tmp/@-link /tmp/@-fifo /tmp/@-fa /etc/@-xfsio")
                .replace("@", nonce);
    }

    @Test
    public void commandLineModeWritesOnlyTheModel() throws Exception {
        check(LauncherIT.kmodelIn(cwd, state, null, "-c", script().replace("\n", "; ")));
    }

    @Test
    public void scriptFileModeWritesOnlyTheModel() throws Exception {
        File f = new File(state, "script.kmodel");
        Files.writeString(f.toPath(), script() + "\n", StandardCharsets.UTF_8);
        check(LauncherIT.kmodelIn(cwd, state, null, "-f", f.getPath()));
    }

    @Test
    public void pipedModeWritesOnlyTheModel() throws Exception {
        check(LauncherIT.kmodelIn(cwd, state, script() + "\n"));
    }

    /**
     * The interactive console on a pseudo-terminal (util-linux script(1)); skipped where script is missing. The
     * whole input is typed ahead: JLine reads it once the console starts.
     */
    @Test
    public void interactiveModeWritesOnlyTheModel() throws Exception {
        File script = new File("/usr/bin/script");
        org.junit.Assume.assumeTrue("script(1) is needed for a pseudo-terminal", script.canExecute());
        String launcher = new File(LauncherIT.ROOT, "kmodel").getPath();
        ProcessBuilder pb = new ProcessBuilder(
                        script.getPath(),
                        "-qfc",
                        "stty cols 200 rows 50; " + launcher + " --state " + state.getPath(),
                        "/dev/null")
                .directory(cwd);
        pb.environment().put("KMODEL_NO_BUILD", "1");
        File out = File.createTempFile("tty", ".txt", state);
        pb.redirectOutput(out).redirectErrorStream(true);
        Process p = pb.start();
        // keep the terminal's input open until the console exits, or script(1) hangs up on it
        p.getOutputStream().write((script().replace("\n", "\r") + "\rexit\r").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        boolean ended = p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS);
        p.getOutputStream().close();
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue("the console ended on exit", ended);
        String tty = Files.readString(out.toPath())
                .replaceAll("\u001b\\[[?0-9;]*[a-zA-Z]|\u001b[=>]", "")
                .replace("\r", "");
        java.util.Set<String> typed = new java.util.HashSet<>(List.of(script().split("\n")));
        typed.add("exit");
        StringBuilder printed = new StringBuilder();
        for (String line : tty.split("\n")) {
            // drop the terminal's echo of the typed-ahead lines, the prompts and the banner
            if (!line.startsWith("kmodel$ ")
                    && !line.startsWith("kmodel 3.")
                    && !line.startsWith("Try: ")
                    && !typed.contains(line.strip())) {
                printed.append(line).append('\n');
            }
        }
        check(new LauncherIT.Run(0, printed.toString(), ""));
    }

    private void check(LauncherIT.Run r) throws Exception {
        // the fresh state directory of each run boots the same model (sysctl values reset)
        assertEquals(r.err, "", r.err);
        assertEquals(r.out, 0, r.status);
        String out = r.out;
        assertTrue(out, out.contains("probe\nmore\nprobe\nprobe\nprobe\nf\n"));
        assertTrue(out, out.contains("kmodel_oot ") && out.contains("(OE)\n"));
        assertTrue(out, out.contains("rel\nprobe\nmore\nmore\nprobe\n"));
        assertTrue(out, out.contains("12801\n1\n")); // 4609, then O and E from kmodel_oot
        assertTrue(out, out.contains("/tmp/" + nonce + "-new /tmp/" + nonce + "-pipe"));
        assertTrue(out, out.contains("Module                  Size  Used by\n"));
        assertTrue(out, out.startsWith("err\n")); // nothing before: the ls and lsmod results went into files
    }

    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> s = new TreeMap<>();
        for (String root : new String[] {"/tmp", "/etc", cwd.getPath()}) {
            try (Stream<Path> paths = Files.walk(Paths.get(root), 2)) {
                paths.filter(p -> p.toString().contains(nonce) || p.startsWith(cwd.toPath()))
                        .forEach(p -> s.put(p.toString(), describe(p)));
            } catch (java.io.UncheckedIOException e) {
                // a directory of another process vanished while walking: not ours
            }
        }
        s.put("/proc/sys/kernel/tainted", read("/proc/sys/kernel/tainted"));
        s.put("/sys/kernel/tracing/tracing_on", read("/sys/kernel/tracing/tracing_on"));
        return s;
    }

    private static String describe(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.size() + " " + a.lastModifiedTime() + (a.isRegularFile() ? " " + Files.readString(p) : "");
        } catch (IOException e) {
            return "gone";
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Paths.get(path));
        } catch (IOException e) {
            return "absent: " + e.getClass().getSimpleName();
        }
    }

    /** Wraps every run: the host snapshot before and after must be equal. */
    @org.junit.Rule
    public final org.junit.rules.TestRule hostUnchanged =
            (base, description) -> new org.junit.runners.model.Statement() {
                @Override
                public void evaluate() throws Throwable {
                    Path existing = Paths.get("/tmp", nonce + "-existing");
                    Files.writeString(existing, "host file\n");
                    Map<String, String> before = snapshot();
                    base.evaluate();
                    Map<String, String> after = snapshot();
                    assertEquals("host files changed by " + description.getMethodName(), before, after);
                    assertEquals("host file\n", Files.readString(existing));
                    assertEquals(List.of(), List.of(cwd.list()));
                }
            };
}
