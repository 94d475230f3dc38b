package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 11, "the output formats of the real tools": the words of ls and mount for bad input, each as the host's own
 * tool prints them (GNU coreutils 9.1 ls, util-linux 2.38.1 mount, measured on this machine) and, where the tool is
 * there, compared with it live. kmodel prints one line {@code cmd: what: strerror} (docs/ARCHITECTURE.md, house
 * rules), so the tool's first line, without mount's closing full stop, is the "what", and the errno's text follows.
 */
class Issue11ToolWordsTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final FileCommands files = new FileCommands();
    private final TreeCommands tree = new TreeCommands();
    private final MountCommands mounts = new MountCommands();

    Issue11ToolWordsTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        files.vfs = vfs;
        tree.vfs = vfs;
        mounts.vfs = vfs;
        tree.mkdir("/mx");
    }

    private static KernelException fails(Runnable r) {
        return assertThrows(KernelException.class, r::run);
    }

    /**
     * The first line the host's command wrote on stderr, without the tool's name and a closing full stop (mount
     * ends its sentences with one, and its second line only points to dmesg).
     */
    private static String hostWhat(String tool, List<String> cmd, Path cwd) throws Exception {
        List<String> line = new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", cwd.toString()));
        line.addAll(cmd);
        String[] out = HostTools.output(line);
        String first = out[1].lines().findFirst().orElse("");
        assertEquals(tool + ": ", first.substring(0, Math.min(first.length(), tool.length() + 2)), out[1]);
        String what = first.substring(tool.length() + 2);
        return what.endsWith(".") ? what.substring(0, what.length() - 1) : what;
    }

    private List<MountInfo> table() {
        return mounts.mount().mounts();
    }

    @Test
    void lsOfAMissingPathCannotAccessIt() throws Exception {
        // GNU ls 9.1: "ls: cannot access 'x': No such file or directory", status 2
        KernelException e = fails(() -> files.ls("x"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("cannot access 'x': No such file or directory", e.getMessage());
        assertEquals(
                "cannot access '/mx/nope/x': No such file or directory",
                fails(() -> files.ls("-l", "/mx/nope/x")).getMessage());
        files.write("/f", "x");
        assertEquals(Errno.ENOTDIR, fails(() -> files.ls("/f/x")).errno());
        assertEquals(
                "cannot access '/f/x': Not a directory",
                fails(() -> files.ls("/f/x")).getMessage());

        assumeTrue(HostTools.has("ls", "--version"), "no ls on the host: compared with the recorded words only");
        Path dir = Files.createTempDirectory("kmodel-issue11-ls");
        try {
            Files.writeString(dir.resolve("f"), "x");
            // ls words the whole line itself, strerror included
            assertEquals(hostWhat("ls", List.of("ls", "x"), dir), e.getMessage());
            assertEquals(
                    hostWhat("ls", List.of("ls", "f/x"), dir),
                    fails(() -> files.ls("f/x")).getMessage());
        } finally {
            HostTools.run(List.of("rm", "-rf", dir.toString()));
        }
    }

    @Test
    void mountOfAnUnknownTypeNamesTheType() throws Exception {
        // util-linux 2.38.1 as root: "mount: /tmp/mx: unknown filesystem type 'bogusfs'." (then a dmesg hint), 32
        List<MountInfo> before = table();
        KernelException e = fails(() -> mounts.mount("-t", "bogusfs", "none", "/mx"));
        assertEquals(Errno.ENODEV, e.errno());
        assertEquals("/mx: unknown filesystem type 'bogusfs': No such device", e.getMessage());
        assertEquals(before, table());

        assumeTrue("root".equals(System.getProperty("user.name")), "not root: the host's mount(2) would say EPERM");
        assumeTrue(HostTools.has("mount", "--version"), "no mount on the host: compared with the recorded words only");
        Path dir = Files.createTempDirectory("kmodel-issue11-mount");
        try {
            Files.createDirectory(dir.resolve("mx"));
            // the host's mount(2) fails with ENODEV before anything is mounted
            assertEquals(
                    hostWhat("mount", List.of("mount", "-t", "bogusfs", "none", "mx"), dir)
                                    .replace(dir.resolve("mx").toString(), "/mx")
                            + ": No such device",
                    e.getMessage());
        } finally {
            HostTools.run(List.of("rm", "-rf", dir.toString()));
        }
    }

    @Test
    void mountWithOptionsButNoDirectoryIsBadUsage() throws Exception {
        // util-linux 2.38.1: "mount: bad usage" / "Try 'mount --help' for more information.", status 1; only -t
        // (a filter) may come without operands
        mounts.mount("-t", "tmpfs", "tmpfs", "/mx");
        List<MountInfo> before = table();
        for (List<String> args :
                List.of(List.of("-o", "remount,ro"), List.of("-o", "ro"), List.of("-t", "tmpfs", "-o", "remount"))) {
            KernelException e = fails(() -> mounts.mount(args.toArray(String[]::new)));
            assertEquals(Errno.EINVAL, e.errno(), args.toString());
            assertEquals("bad usage: Invalid argument", e.getMessage(), args.toString());
            assertEquals(before, table(), args.toString());
        }
        assertEquals(2, mounts.mount("-t", "tmpfs").mounts().size(), "-t alone still lists");

        assumeTrue(HostTools.has("mount", "--version"), "no mount on the host: compared with the recorded words only");
        Path dir = Files.createTempDirectory("kmodel-issue11-mount");
        try {
            assertEquals(
                    hostWhat("mount", List.of("mount", "-o", "remount,ro"), dir) + ": Invalid argument",
                    fails(() -> mounts.mount("-o", "remount,ro")).getMessage());
        } finally {
            HostTools.run(List.of("rm", "-rf", dir.toString()));
        }
    }
}
