package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.Inode;

/**
 * Issue 13 acceptance, host to kmodel: an image made by the host's mkfs.ext4 (4k, 1k, bigalloc 64k) and filled
 * by the host kernel (as root; by debugfs otherwise) mounts in kmodel, reads identically (files, an htree
 * directory, fast and slow symlinks, unwritten extents), takes a collapse and new entries, and then passes
 * e2fsck -fn, with debugfs dumping the collapsed bytes.
 */
class Ext4HostImageTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"4k", "1k", "bigalloc"})
    void hostImageMountsReadsCollapsesAndStaysClean(String geo) throws Exception {
        assumeTrue(HostE2fs.available(), "skipped: e2fsprogs not installed");
        Path img = dir.resolve("host-" + geo + ".img");
        Files.write(img, new byte[0]);
        HostE2fs.run("truncate", "-s", "64M", img.toString());
        String[] mkfs =
                switch (geo) {
                    case "1k" -> new String[] {"mkfs.ext4", "-q", "-F", "-b", "1024", img.toString()};
                    case "bigalloc" ->
                        new String[] {"mkfs.ext4", "-q", "-F", "-O", "bigalloc", "-C", "65536", img.toString()};
                    default -> new String[] {"mkfs.ext4", "-q", "-F", "-b", "4096", img.toString()};
                };
        HostE2fs.Result made = HostE2fs.run(mkfs);
        assumeTrue(made.rc() == 0, () -> "skipped: mkfs.ext4 failed: " + made.out());
        int cs = geo.equals("bigalloc") ? 65536 : geo.equals("1k") ? 1024 : 4096;
        Map<String, byte[]> files = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(geo.hashCode());
        for (int k = 0; k < 5; k++) {
            byte[] b = new byte[(k + 1) * 37 * cs + k * 123];
            rnd.nextBytes(b);
            files.put("file" + k, b);
        }
        boolean kernel = fillWithKernel(img, files) || fillWithDebugfs(img, files);
        assumeTrue(kernel, "skipped: neither a loop mount nor debugfs -w could fill the image");

        byte[] expected;
        try (BlockDevice dev = TestBlockDevices.image(img, 0)) {
            DiskSuperBlock sb = DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, "");
            Inode root = sb.root();
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                assertArrayEquals(e.getValue(), ModelProbe.content(root.lookup(e.getKey())), e.getKey());
            }
            Inode big = root.lookup("dir");
            for (int k = 0; k < 600; k++) {
                assertEquals(0, big.lookup("entry-" + k).getattr().size(), "entry-" + k);
            }
            assertEquals("file0", root.lookup("fast").readlink());
            assertEquals("x".repeat(100), root.lookup("slow").readlink());
            Inode f = root.lookup("file4");
            assertEquals("OK", ModelProbe.run(f, "COLLAPSE", cs, 2L * cs, Long.MAX_VALUE));
            byte[] orig = files.get("file4");
            expected = new byte[orig.length - 2 * cs];
            System.arraycopy(orig, 0, expected, 0, cs);
            System.arraycopy(orig, 3 * cs, expected, cs, orig.length - 3 * cs);
            assertArrayEquals(expected, ModelProbe.content(f));
            big.create("added-by-kmodel", 0100644, 0);
            big.unlink("entry-5");
            sb.kill();
        }
        HostE2fs.Result r = HostE2fs.fsck(img);
        assertEquals(0, r.rc(), r.out());
        assertArrayEquals(expected, HostE2fs.dump(img, "/file4"));
        try (BlockDevice dev = TestBlockDevices.image(img, 0)) {
            DiskSuperBlock sb = DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, "");
            assertNull(sb.root().lookup("dir").lookup("entry-5"));
            assertEquals(
                    0,
                    sb.root().lookup("dir").lookup("added-by-kmodel").getattr().size());
            sb.kill();
        }
        System.out.printf(
                "host mkfs.ext4 %s image filled by %s: kmodel reads it, collapses, e2fsck -fn clean%n",
                geo, HostE2fs.isRoot() ? "the kernel" : "debugfs");
    }

    /** As root: loop-mount and write with the host kernel (the directory of 600 names becomes an htree). */
    private static boolean fillWithKernel(Path img, Map<String, byte[]> files) throws Exception {
        if (!HostE2fs.isRoot()) {
            return false;
        }
        Path mnt = Files.createTempDirectory("kmodel-host-fill");
        try {
            if (HostE2fs.run("mount", "-o", "loop", "-t", "ext4", img.toString(), mnt.toString())
                            .rc()
                    != 0) {
                return false;
            }
            try {
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    Files.write(mnt.resolve(e.getKey()), e.getValue());
                }
                Path d = Files.createDirectory(mnt.resolve("dir"));
                for (int k = 0; k < 600; k++) {
                    Files.write(d.resolve("entry-" + k), new byte[0]);
                }
                Files.createSymbolicLink(mnt.resolve("fast"), Path.of("file0"));
                Files.createSymbolicLink(mnt.resolve("slow"), Path.of("x".repeat(100)));
                HostE2fs.run(
                        "fallocate",
                        "-o",
                        "0",
                        "-l",
                        "1M",
                        mnt.resolve("prealloc").toString());
                files.put("prealloc", new byte[1 << 20]);
            } finally {
                HostE2fs.run("umount", mnt.toString());
            }
            return true;
        } finally {
            Files.deleteIfExists(mnt);
        }
    }

    private static boolean fillWithDebugfs(Path img, Map<String, byte[]> files) throws Exception {
        StringBuilder cmds = new StringBuilder();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path src = Files.createTempFile("kmodel-src", ".bin");
            Files.write(src, e.getValue());
            src.toFile().deleteOnExit();
            cmds.append("write ").append(src).append(' ').append(e.getKey()).append('\n');
        }
        cmds.append("mkdir dir\n");
        for (int k = 0; k < 600; k++) {
            cmds.append("write /dev/null dir/entry-").append(k).append('\n');
        }
        cmds.append("symlink fast file0\nsymlink slow ").append("x".repeat(100)).append('\n');
        Path f = Files.createTempFile("kmodel-debugfs", ".cmd");
        Files.writeString(f, cmds);
        HostE2fs.Result r = HostE2fs.run("debugfs", "-w", "-f", f.toString(), img.toString());
        Files.deleteIfExists(f);
        return r.rc() == 0 && Arrays.stream(r.out().split("\n")).noneMatch(l -> l.contains("rror"));
    }
}
