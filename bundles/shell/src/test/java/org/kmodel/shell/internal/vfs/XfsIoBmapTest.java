package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.vfs.Vfs;

/**
 * xfs_io's {@code bmap}, {@code statfs}, {@code help} and {@code -V}: the layout against text the real xfs_io 6.1
 * printed (a 136 KiB file with a 64 KiB hole on a loop-mounted xfs), the data on the model's filesystems, and a
 * differential run against the host's xfs_io on a loop-mounted xfs and on ext4 (skipped without xfs_io, root or
 * mkfs.xfs). Physical block numbers and the AG differ between two allocators and are masked; every offset,
 * length, hole, flag and column is compared.
 */
class XfsIoBmapTest {
    /** xfs_io 6.1 on Linux, "bmap" and "bmap -v" of pwrite 0 64k, pwrite 128k 8k on xfs. */
    static final String REAL_BMAP = "f1:\n\t0: [0..127]: 192..319\n\t1: [128..255]: hole\n\t2: [256..271]: 448..463\n";

    static final String REAL_BMAP_V = """
            f1:
             EXT: FILE-OFFSET      BLOCK-RANGE      AG AG-OFFSET        TOTAL
               0: [0..127]:        192..319          0 (192..319)         128
               1: [128..255]:      hole                                   128
               2: [256..271]:      448..463          0 (448..463)          16
            """;
    /** "bmap -vp" of falloc 0 64k, pwrite 64k 4k on xfs (the first and last extents unwritten). */
    static final String REAL_BMAP_VP = """
            f2:
             EXT: FILE-OFFSET      BLOCK-RANGE      AG AG-OFFSET        TOTAL FLAGS
               0: [0..127]:        320..447          0 (320..447)         128 010000
               1: [128..135]:      576..583          0 (576..583)           8 000000
               2: [136..383]:      584..831          0 (584..831)         248 010000
            """;

    @Test
    void layoutIsXfsIo61s() {
        List<XfsIoBmap.Row> rows = List.of(
                new XfsIoBmap.Row(0, 128, 192, false),
                new XfsIoBmap.Row(128, 128, -1, false),
                new XfsIoBmap.Row(256, 16, 448, false));
        assertEquals(REAL_BMAP, XfsIoBmap.format("f1", rows, 0, false, false));
        assertEquals(REAL_BMAP_V, XfsIoBmap.format("f1", rows, 1, false, false));
        List<XfsIoBmap.Row> pre = List.of(
                new XfsIoBmap.Row(0, 128, 320, true),
                new XfsIoBmap.Row(128, 8, 576, false),
                new XfsIoBmap.Row(136, 248, 584, true));
        assertEquals(REAL_BMAP_VP, XfsIoBmap.format("f2", pre, 1, false, true));
        String legend = XfsIoBmap.format("f2", pre, 2, false, true);
        assertTrue(legend.startsWith(REAL_BMAP_VP + " FLAG Values:\n    0100000 Shared extent\n"), legend);
        assertEquals(
                "f1:\n\t0: [0..127]: 192..319 128 blocks\n\t1: [128..255]: hole 128 blocks\n",
                XfsIoBmap.format("f1", rows.subList(0, 2), 0, true, false));
        assertEquals("e: no extents\n", XfsIoBmap.format("e", List.of(), 1, false, false));
    }

    @Test
    void rowsComeFromTheModelsExtents() throws Exception {
        Path state = Files.createTempDirectory("kmodel-bmap-");
        try {
            Vfs vfs = HostTools.model("xfs", state);
            XfsIo.Result r = XfsIo.run(vfs, new String[] {
                "-f",
                "-c",
                "pwrite -q 0 64k",
                "-c",
                "pwrite -q 128k 8k",
                "-c",
                "truncate 200k",
                "-c",
                "bmap",
                "-c",
                "bmap -n 2",
                "-c",
                "statfs",
                "/f"
            });
            assertEquals(List.of(), r.errors());
            String[] lines = r.out().split("\n");
            assertEquals("/f:", lines[0]);
            assertTrue(lines[1].matches("\t0: \\[0\\.\\.127\\]: \\d+\\.\\.\\d+"), lines[1]);
            assertEquals("\t1: [128..255]: hole", lines[2]);
            assertTrue(lines[3].matches("\t2: \\[256\\.\\.271\\]: \\d+\\.\\.\\d+"), lines[3]);
            // truncate up zeroes the delalloc (speculative) blocks past the old EOF (xfs_setattr_size ->
            // xfs_zero_range), so they stay allocated inside the new size; the kernel here prints
            // "3: [272..383]: 208..319" and "4: [384..399]: hole" for this sequence
            assertTrue(lines[4].matches("\t3: \\[272\\.\\.383\\]: \\d+\\.\\.\\d+"), lines[4]);
            assertEquals("\t4: [384..399]: hole", lines[5], "the hole up to EOF (200 KiB)");
            assertEquals("/f:", lines[6]);
            assertEquals("\t1: [128..255]: hole", lines[8], "-n 2: two records");
            assertEquals("fd.path = \"/f\"", lines[9]);
            assertTrue(r.out().contains("geom.agcount = 1\n") && r.out().contains("counts.freertx = 0\n"), r.out());
        } finally {
            HostTools.run(List.of("rm", "-rf", state.toString()));
        }
    }

    @Test
    void foreignFileVersionAndHelp() throws Exception {
        Path state = Files.createTempDirectory("kmodel-bmap-");
        try {
            Vfs vfs = HostTools.model("ext4", state);
            XfsIo.Result r = XfsIo.run(vfs, new String[] {
                "-f", "-c", "bmap", "-c", "statfs", "-c", "statfs -x", "-c", "help foo", "-c", "help bmap", "/f"
            });
            assertEquals(
                    List.of(
                            "foreign file active, bmap command is for XFS filesystems only",
                            "statfs: invalid option -- 'x'"),
                    r.errors());
            assertTrue(r.out().contains("command foo not found\n"), r.out());
            assertTrue(r.out().startsWith("fd.path = \"/f\"\nstatfs.f_bsize = 4096\n"), r.out());
            assertTrue(!r.out().contains("geom."), "no XFS ioctls on ext4: " + r.out());
            assertTrue(r.out().contains(XfsIoBmap.STATFS_USAGE), r.out());
            assertEquals(
                    "xfs_io version 6.1.0\n",
                    XfsIo.run(vfs, new String[] {"-V"}).out());
            String help = XfsIo.run(vfs, new String[] {"-c", "help", "/f"}).out();
            assertTrue(help.endsWith("\nUse 'help commandname' for extended help.\n"), help);
            assertTrue(help.contains("\nseek -a | -d | -h [-r] off -- locate the next data and/or hole\n"), help);
        } finally {
            HostTools.run(List.of("rm", "-rf", state.toString()));
        }
    }

    /** The same commands to the host's xfs_io and to the model's, on the same filesystem type. */
    static final List<List<String>> SCENARIOS = List.of(
            List.of(
                    "pwrite -q 0 64k",
                    "pwrite -q 128k 8k",
                    "fsync",
                    "bmap",
                    "bmap -v",
                    "bmap -l",
                    "bmap -n 1",
                    "bmap -vv"),
            // a write inside the preallocation (speculative post-EOF preallocation is modelled, and bmap stops at
            // EOF as xfs_getbmap does; the first scenario extends the file)
            List.of(
                    "falloc 0 64k",
                    "pwrite -q 16k 4k",
                    "fsync",
                    "bmap",
                    "bmap -v",
                    "bmap -vp",
                    "bmap -vvp",
                    "bmap -lp"),
            List.of("bmap", "bmap -v", "bmap -z"),
            List.of(
                    "pwrite -q 0 4k",
                    "truncate 1m",
                    "fsync",
                    "bmap",
                    "bmap -v",
                    "statfs",
                    "statfs -s",
                    "statfs -c",
                    "statfs -g",
                    "statfs -q"),
            List.of("help bmap", "help nope", "help statfs"));

    @ParameterizedTest
    @ValueSource(strings = {"xfs", "ext4"})
    void sameAsTheRealXfsIo(String fs) throws Exception {
        Assumptions.assumeTrue(HostTools.has("xfs_io", "-V"), "no xfs_io on this host");
        assertEquals(
                "xfs_io version 6.1.0\n",
                HostTools.output(List.of("xfs_io", "-V"))[0],
                "the host's xfs_io is the release the model follows");
        HostTools.xfsIoScenarios(fs, "bmap", SCENARIOS, (vfs, s, args, hostFile, modelFile, want, got) -> {
            String what = fs + ": xfs_io " + String.join(" ", args);
            if (s.get(0).startsWith("help")) {
                // the model knows fewer commands: "help bmap" is compared on its first (one-line) part
                assertEquals(
                        want[0].lines().findFirst().orElse(""),
                        got.out().lines().findFirst().orElse(""),
                        what);
            } else {
                assertEquals(
                        mask(want[0].replace(hostFile.toString(), "FILE")),
                        mask(got.out().replace(modelFile, "FILE")),
                        what);
            }
            assertEquals(want[1], got.errors().isEmpty() ? "" : String.join("\n", got.errors()) + "\n", what);
        });
    }

    /** Masks what two allocators choose differently (block numbers, AG) and the filesystem's own figures. */
    static String mask(String out) {
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.matches("(statfs\\.f_(blocks|bavail|files|ffree)|geom\\.(agcount|agblocks|datablocks)"
                    + "|counts\\.(freedata|freeino|allocino)) = \\d+")) {
                line = line.substring(0, line.indexOf(" = ")) + " = N";
            } else if (line.startsWith("\t")) {
                line = line.replaceAll("]: \\d+\\.\\.\\d+", "]: P");
            } else if (line.matches(" *\\d+: \\[.*")) {
                String[] t = line.trim().split("\\s+");
                if (!t[2].equals("hole")) {
                    t[2] = "P";
                    t[3] = "AG";
                    t[4] = "(P)";
                }
                line = String.join(" ", t);
            } else if (line.startsWith(" EXT:")) {
                line = String.join(" ", line.trim().split("\\s+"));
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
