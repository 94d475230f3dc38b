package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.KernelException;

/**
 * Issue 11: mknod(2) with no file type in the mode makes a regular file (fs/namei.c {@code may_mknod} lets a zero
 * type through and {@code do_mknodat} creates a regular file for it, as for S_IFREG); kmodel answered EINVAL. Each
 * case is checked against what this machine's kernel gave ({@code os.mknod(path, 0o644)} makes {@code 0100644}), and
 * against the host's kernel again when python3 is there (in a temporary directory under /tmp, removed afterwards).
 */
class Issue11MknodRegularFileTest {
    /** Name, mode (octal) and the result on the host: the new file's st_mode in octal, or the errno's name. */
    private static final List<String[]> CASES = List.of(
            new String[] {"plain", "644", "100644"},
            new String[] {"umasked", "666", "100644"},
            new String[] {"suid", "4755", "104755"},
            new String[] {"reg", "100600", "100600"},
            new String[] {"fifo", "10644", "10644"},
            new String[] {"sock", "140644", "140644"},
            new String[] {"plain", "644", "EEXIST"},
            new String[] {"missing/x", "644", "ENOENT"},
            new String[] {"bad", "30644", "EINVAL"},
            new String[] {"lnk", "120644", "EINVAL"},
            new String[] {"dir", "40755", "EPERM"});

    private static final String PROBE = """
            import errno, os, sys
            os.umask(0o22)
            for line in sys.stdin:
                name, mode = line.rstrip("\\n").split("\\t")
                p = os.path.join(sys.argv[1], name)
                try:
                    os.mknod(p, int(mode, 8)); print("%o" % os.lstat(p).st_mode)
                except OSError as e:
                    print(errno.errorcode[e.errno])
            """;

    private static List<String> model() {
        Fixture fx = new Fixture();
        List<String> got = new ArrayList<>();
        for (String[] c : CASES) {
            String path = "/" + c[0];
            try {
                fx.vfs.mknod(path, Integer.parseInt(c[1], 8), 0);
                got.add(Integer.toOctalString(fx.vfs.lstat(path).mode()));
            } catch (KernelException e) {
                got.add(e.errno().name());
            }
        }
        return got;
    }

    @Test
    void aModeWithoutATypeMakesARegularFile() {
        assertEquals(CASES.stream().map(c -> c[2]).toList(), model());
        Fixture fx = new Fixture();
        fx.vfs.mknod("/f", 0644, 0);
        assertEquals(0, fx.vfs.stat("/f").size());
        fx.vfs.open("/f", org.kmodel.vfs.OpenFlags.O_WRONLY, 0).close(); // a regular file opens for writing
    }

    @Test
    void theHostsKernelAgrees() throws Exception {
        assumeTrue(onPath("python3"), "python3 not found: compared with the recorded results only");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "kmodel-issue11-mknod");
        try {
            StringBuilder in = new StringBuilder();
            CASES.forEach(c -> in.append(c[0]).append('\t').append(c[1]).append('\n'));
            Process p = new ProcessBuilder("python3", "-c", PROBE, dir.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().write(in.toString().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
            assertEquals(String.join("\n", model()) + "\n", out);
        } finally {
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
