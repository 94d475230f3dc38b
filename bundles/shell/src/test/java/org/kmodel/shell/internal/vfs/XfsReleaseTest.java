package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;

/**
 * xfs trims speculative preallocation past EOF at the release of a writable file (fs/xfs/xfs_file.c
 * xfs_file_release; docs/xfs-format.md, "Speculative preallocation"): each scenario is a sequence of xfs_io
 * invocations on one file, and {@code st_blocks} after each invocation (its close included) is compared with
 * the real xfs_io on a loop-mounted xfs (root and mkfs.xfs, else skipped), and in every build with the figures
 * that run printed on the 6.18 test machine (xfs_io 6.1, 512 MiB filesystem, 4 KiB blocks).
 */
class XfsReleaseTest {
    /** One scenario: the invocations (each its -c commands; a leading "-r" opens read-only) and st_blocks after each. */
    record Scenario(String name, List<List<String>> runs, List<Long> hostBlocks) {}

    static final List<Scenario> SCENARIOS = List.of(
            // too small to preallocate: nothing to trim
            new Scenario("small", List.of(List.of("pwrite 0 64k")), List.of(128L)),
            // 384 sectors while open (stat.blocks), 256 after the close
            new Scenario("trimmed", List.of(List.of("pwrite 0 128k")), List.of(256L)),
            new Scenario("trimmed1m", List.of(List.of("pwrite 0 1m")), List.of(2048L)),
            // fallocate -k sets XFS_DIFLAG_PREALLOC: its real post-EOF blocks stay
            new Scenario("keepsize", List.of(List.of("falloc -k 0 1m", "pwrite 0 128k")), List.of(2048L)),
            new Scenario("keepsizeOnly", List.of(List.of("falloc -k 0 1m")), List.of(2048L)),
            // only the first trimming release trims (XFS_EOFBLOCKS_RELEASED): the second writer keeps its 2 MiB
            new Scenario("reopened", List.of(List.of("pwrite 0 1m"), List.of("pwrite 1m 1m")), List.of(2048L, 6144L)),
            // a read-only release changes nothing
            new Scenario(
                    "readOnly",
                    List.of(List.of("pwrite 0 1m"), List.of("pwrite 1m 1m"), List.of("-r", "pread -q 0 4k")),
                    List.of(2048L, 6144L, 6144L)),
            // a truncate to the same size (XFS_ITRUNCATED) leaves nothing to trim, so the flag stays clear
            new Scenario(
                    "truncatedSame",
                    List.of(List.of("pwrite 0 1m", "truncate 1m"), List.of("pwrite 1m 1m")),
                    List.of(2048L, 4096L)),
            new Scenario(
                    "truncatedDown",
                    List.of(
                            List.of("pwrite 0 1m", "truncate 512k", "pwrite 512k 1m"),
                            List.of("pwrite 1536k 1m"),
                            List.of("pwrite 2560k 1m")),
                    List.of(3072L, 5120L, 9216L)));

    /** st_blocks after each invocation of {@code s} on the model's xfs. */
    static List<Long> model(Vfs vfs, Scenario s) {
        List<Long> blocks = new ArrayList<>();
        for (List<String> run : s.runs()) {
            List<String> args = new ArrayList<>(List.of("-f"));
            for (String c : run) {
                if (c.equals("-r")) {
                    args.set(0, "-r");
                } else {
                    args.add("-c");
                    args.add(c);
                }
            }
            args.add("/" + s.name());
            XfsIo.Result r = XfsIo.run(vfs, args.toArray(String[]::new));
            assertEquals(List.of(), r.errors(), s.name());
            blocks.add(vfs.stat("/" + s.name()).blocks());
        }
        return blocks;
    }

    @Test
    void theModelTrimsAsTheKernelDid() throws Exception {
        Path state = Files.createTempDirectory("kmodel-xfsrel-");
        try {
            Vfs vfs = HostTools.model("xfs", state);
            for (Scenario s : SCENARIOS) {
                assertEquals(s.hostBlocks(), model(vfs, s), s.name() + ": " + s.runs());
            }
        } finally {
            HostTools.run(List.of("rm", "-rf", state.toString()));
        }
    }

    @Test
    void onlyAWritableReleaseTrims() throws Exception {
        Path state = Files.createTempDirectory("kmodel-xfsrel-");
        try {
            Vfs vfs = HostTools.model("xfs", state);
            OpenFile w = vfs.open("/f", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
            byte[] buf = new byte[4096];
            for (int off = 0; off < 1 << 20; off += buf.length) {
                w.pwrite(off, buf, 0, buf.length);
            }
            long open = vfs.stat("/f").blocks();
            assertTrue(open > 2048, "speculative preallocation past 1 MiB while open: " + open);
            vfs.open("/f", OpenFlags.O_RDONLY, 0).close();
            assertEquals(open, vfs.stat("/f").blocks(), "a read-only release (no FMODE_WRITE) keeps it");
            vfs.open("/f", OpenFlags.O_RDWR, 0).close();
            assertEquals(2048, vfs.stat("/f").blocks(), "any writable release trims, not only the last one");
            w.close();
            assertEquals(2048, vfs.stat("/f").blocks());
        } finally {
            HostTools.run(List.of("rm", "-rf", state.toString()));
        }
    }

    @Test
    void theModelTrimsAsTheHostKernelDoes() throws Exception {
        HostTools host = new HostTools();
        Path dir = host.hostDir("xfs");
        Path state = Files.createTempDirectory("kmodel-xfsrel-");
        try {
            Assumptions.assumeTrue(dir != null, "no host xfs (needs root and mkfs.xfs)");
            Assumptions.assumeTrue(HostTools.has("xfs_io", "-V"), "no xfs_io");
            Vfs vfs = HostTools.model("xfs", state);
            for (Scenario s : SCENARIOS) {
                Path file = dir.resolve(s.name());
                List<Long> real = new ArrayList<>();
                for (List<String> run : s.runs()) {
                    List<String> cmd =
                            new ArrayList<>(List.of("xfs_io", run.get(0).equals("-r") ? "-r" : "-f"));
                    for (String c : run) {
                        if (!c.equals("-r")) {
                            cmd.add("-c");
                            cmd.add(c);
                        }
                    }
                    cmd.add(file.toString());
                    assertEquals(0, HostTools.run(cmd), String.join(" ", cmd));
                    String[] st = HostTools.output(List.of("stat", "-c", "%b", file.toString()));
                    real.add(Long.parseLong(st[0].trim()));
                }
                assertEquals(real, model(vfs, s), s.name() + ": " + s.runs());
            }
        } finally {
            host.close(null);
            HostTools.run(List.of("rm", "-rf", state.toString()));
        }
    }
}
