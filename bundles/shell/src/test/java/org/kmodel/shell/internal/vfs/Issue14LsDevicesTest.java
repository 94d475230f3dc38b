package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 14 (every tool's output as the tool prints it): {@code ls -l} prints a device node's {@code MAJOR, MINOR}
 * where a file's size goes, each number right-aligned to the widest major and minor of the listing, and a size
 * column at least that wide (GNU ls 9.1, src/ls.c gobble_file and print_long_format). The expected lines are what
 * the host's ls printed on the same tree (recorded here, and compared live where the host lets root make device
 * nodes), the time column left out.
 */
class Issue14LsDevicesTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final FileCommands files = new FileCommands();
    private final TreeCommands tree = new TreeCommands();

    Issue14LsDevicesTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        files.vfs = vfs;
        tree.vfs = vfs;
        tree.mkdir("/d");
        tree.mknod("/d/c", "c", "1", "3");
        tree.mknod("/d/b", "b", "7", "0");
        tree.mknod("/d/tty", "c", "136", "12345"); // a minor above 255: its high bits sit above the major's
        write("/d/big", 123456);
        write("/d/f", 5);
    }

    private void write(String path, int size) {
        try (OpenFile f = vfs.open(path, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644)) {
            f.write(new byte[size], 0, size);
        }
    }

    /** The listing without the "total" line, each line with its time column cut out. */
    private static List<String> withoutTimes(String listing) {
        return Arrays.stream(listing.split("\n"))
                .filter(l -> !l.startsWith("total "))
                .map(l -> l.replaceFirst(" [A-Z][a-z]{2} [ 0-9]\\d (\\d\\d:\\d\\d| \\d{4}) ", " TIME "))
                .toList();
    }

    private List<String> model(String... args) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        return withoutTimes(files.ls(sink, sink, args));
    }

    @Test
    void devicesShowMajorAndMinorAlignedOverTheListing() {
        assertEquals(
                List.of(
                        "brw-r--r-- 1 root root   7,     0 TIME b",
                        "-rw-r--r-- 1 root root     123456 TIME big",
                        "crw-r--r-- 1 root root   1,     3 TIME c",
                        "-rw-r--r-- 1 root root          5 TIME f",
                        "crw-r--r-- 1 root root 136, 12345 TIME tty"),
                model("-l", "/d"));
        assertEquals(
                List.of("brw-r--r-- 1 root root 7, 0 TIME /d/b", "crw-r--r-- 1 root root 1, 3 TIME /d/c"),
                model("-l", "/d/c", "/d/b"));
        assertEquals(
                List.of("crw-r--r-- 1 root root 1, 3 TIME /d/c", "-rw-r--r-- 1 root root    5 TIME /d/f"),
                model("-l", "/d/f", "/d/c"),
                "a size narrower than the device column is padded to its width");
    }

    @Test
    void theSameAsTheHostsLs() throws Exception {
        assumeTrue(HostTools.has("ls", "--version"), "no ls on the host: compared with the recorded lines only");
        Path dir = Files.createTempDirectory("kmodel-issue14-ls");
        try {
            boolean nodes = HostTools.run(List.of("mknod", "-m", "644", dir + "/c", "c", "1", "3")) == 0
                    && HostTools.run(List.of("mknod", "-m", "644", dir + "/b", "b", "7", "0")) == 0
                    && HostTools.run(List.of("mknod", "-m", "644", dir + "/tty", "c", "136", "12345")) == 0;
            assumeTrue(nodes, "the host does not let this user make device nodes: compared with the recorded lines");
            Files.write(dir.resolve("big"), new byte[123456]);
            Files.write(dir.resolve("f"), new byte[5]);
            HostTools.run(List.of("chmod", "644", dir + "/big", dir + "/f"));
            for (List<String> args :
                    List.of(List.of("-l", "d"), List.of("-l", "d/c", "d/b"), List.of("-l", "d/f", "d/c"))) {
                List<String> cmd = new java.util.ArrayList<>(List.of("env", "LC_ALL=C", "ls"));
                args.forEach(a -> cmd.add(a.startsWith("d") ? dir + a.substring(1) : a));
                List<String> expected = withoutTimes(HostTools.output(cmd)[0]).stream()
                        .map(l -> l.replace(dir.toString(), "/d"))
                        .toList();
                String[] modelArgs =
                        args.stream().map(a -> a.startsWith("d") ? "/" + a : a).toArray(String[]::new);
                assertEquals(expected, model(modelArgs), String.join(" ", args));
            }
        } finally {
            HostTools.run(List.of("rm", "-rf", dir.toString()));
        }
    }
}
