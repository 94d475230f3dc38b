package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.Inode;

/**
 * htree directories and extended attributes of a host image through kmodel's writes. The host's mkfs.ext4
 * makes the image, debugfs fills it (10,000 names in each of two directories, a file with an in-inode xattr,
 * one with an xattr in an external block) and {@code e2fsck -fyD} indexes the directories (dx_root, dx_node,
 * half_md4). kmodel then changes only the attributes of one htree directory (it must stay an intact htree),
 * adds and removes names in the other (kmodel rewrites it linear and clears EXT4_INDEX_FL), writes to and
 * collapses the xattr files and unlinks one with an external block. Afterwards e2fsck -fn is clean, debugfs
 * finds every name, the xattrs read the same, and as root the host kernel finds every file and xattr.
 */
class Ext4HtreeXattrTest {
    @TempDir
    Path dir;

    static final int N = 10_000;

    @Test
    void htreeAndXattrsSurviveKmodelWrites() throws Exception {
        assumeTrue(
                HostE2fs.available() && HostE2fs.run("mkfs.ext4", "-V").rc() == 0,
                "skipped: e2fsprogs (mkfs.ext4, debugfs, e2fsck) not installed");
        Path img = dir.resolve("htree.img");
        HostE2fs.Result made = HostE2fs.run("mkfs.ext4", "-q", "-F", "-b", "4096", img.toString(), "128M");
        assumeTrue(made.rc() == 0, () -> "skipped: mkfs.ext4 failed: " + made.out());
        StringBuilder cmds = new StringBuilder("mkdir keep\nmkdir change\n");
        for (int k = 0; k < N; k++) {
            cmds.append("write /dev/null keep/name-").append(k).append('\n');
            cmds.append("write /dev/null change/name-").append(k).append('\n');
        }
        Path data = dir.resolve("data.bin");
        byte[] bytes = new byte[5 * 4096];
        new java.util.SplittableRandom(13).nextBytes(bytes);
        Files.write(data, bytes);
        String big = "v".repeat(1500);
        cmds.append("write ").append(data).append(" small\n");
        cmds.append("write ").append(data).append(" large\n");
        cmds.append("write ").append(data).append(" gone\n");
        cmds.append("ea_set small user.x y\n");
        cmds.append("ea_set large user.big ").append(big).append('\n');
        cmds.append("ea_set gone user.big ").append(big).append('\n');
        Path cmdFile = dir.resolve("cmds");
        Files.writeString(cmdFile, cmds);
        HostE2fs.Result filled = HostE2fs.run("debugfs", "-w", "-f", cmdFile.toString(), img.toString());
        assumeTrue(filled.rc() == 0, () -> "skipped: debugfs -w failed: " + filled.out());
        HostE2fs.Result indexed = HostE2fs.run("e2fsck", "-fyD", img.toString());
        assertTrue(indexed.rc() <= 1, indexed.out());
        assertEquals(0, HostE2fs.fsck(img).rc(), HostE2fs.fsck(img).out());
        assertTrue(isHtree(img, "keep") && isHtree(img, "change"), "e2fsck -D made no htree");
        assertTrue(
                HostE2fs.debugfs(img, "stat large").out().contains("File ACL: ")
                        && !HostE2fs.debugfs(img, "stat large").out().contains("File ACL: 0"),
                "no external xattr block");

        try (BlockDevice dev = TestBlockDevices.image(img, 0)) {
            DiskSuperBlock sb = DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, "");
            Inode root = sb.root();
            Inode keep = root.lookup("keep");
            Inode change = root.lookup("change");
            for (int k = 0; k < N; k += 97) {
                assertNotNull(keep.lookup("name-" + k));
                assertNotNull(change.lookup("name-" + k));
            }
            assertEquals(N, keep.readdir().size()); // the filesystem lists no "." and ".." (the VFS adds them)
            keep.setattr(AttrChange.mode(0040700, 1_000_000_000L)); // the inode only: the index stays
            for (int k = 0; k < N; k += 10) {
                change.unlink("name-" + k);
            }
            for (int k = 0; k < 500; k++) {
                change.create("added-" + k, 0100644, 0);
            }
            Inode small = root.lookup("small");
            Inode large = root.lookup("large");
            // st_blocks is i_blocks: the external xattr block counts, as in the kernel's stat
            assertEquals(blockcount(img, "large"), large.getattr().blocks());
            assertEquals(blockcount(img, "small"), small.getattr().blocks());
            ModelProbe.writePattern(small, bytes.length, bytes.length + 8192);
            assertEquals("OK", ModelProbe.run(large, "COLLAPSE", 4096, 4096, Long.MAX_VALUE));
            root.unlink("gone");
            sb.kill();
        }
        HostE2fs.Result r = HostE2fs.fsck(img);
        assertEquals(0, r.rc(), r.out());
        assertTrue(isHtree(img, "keep"), "an htree directory whose inode alone changed lost its index");
        assertTrue(HostE2fs.debugfs(img, "htree keep").out().contains("name-9999"));
        Set<String> names = names(HostE2fs.debugfs(img, "ls -l change").out());
        for (int k = 0; k < N; k++) {
            assertEquals(k % 10 != 0, names.contains("name-" + k), "name-" + k);
        }
        for (int k = 0; k < 500; k++) {
            assertTrue(names.contains("added-" + k), "added-" + k);
        }
        assertTrue(HostE2fs.debugfs(img, "ea_get small user.x").out().contains("y"));
        assertTrue(HostE2fs.debugfs(img, "ea_get large user.big").out().contains(big));
        byte[] collapsed = new byte[bytes.length - 4096];
        System.arraycopy(bytes, 0, collapsed, 0, 4096);
        System.arraycopy(bytes, 8192, collapsed, 4096, bytes.length - 8192);
        assertArrayEquals(collapsed, HostE2fs.dump(img, "/large"));
        if (HostE2fs.isRoot()) {
            kernelCheck(img, big);
        }
        try (BlockDevice dev = TestBlockDevices.image(img, 0)) {
            DiskSuperBlock sb = DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, "");
            assertNull(sb.root().lookup("change").lookup("name-0"));
            assertNotNull(sb.root().lookup("change").lookup("added-499"));
            assertEquals(0040700, sb.root().lookup("keep").getattr().mode());
            sb.kill();
        }
    }

    /** The host kernel lists every name (its own htree lookup on "keep") and reads the xattrs. */
    private static void kernelCheck(Path img, String big) throws Exception {
        Path mnt = Files.createTempDirectory("kmodel-htree-mnt");
        try {
            if (HostE2fs.run("mount", "-o", "loop,ro", "-t", "ext4", img.toString(), mnt.toString())
                            .rc()
                    != 0) {
                System.out.println("Ext4HtreeXattrTest: no loop mount here, kernel check skipped");
                return;
            }
            try {
                for (int k = 0; k < N; k++) {
                    assertTrue(Files.exists(mnt.resolve("keep/name-" + k)), "kernel: keep/name-" + k);
                    assertEquals(
                            k % 10 != 0, Files.exists(mnt.resolve("change/name-" + k)), "kernel: change/name-" + k);
                }
                HostE2fs.Result g = HostE2fs.run(
                        "getfattr",
                        "-n",
                        "user.big",
                        "--only-values",
                        mnt.resolve("large").toString());
                if (g.rc() == 0) {
                    assertEquals(big, g.out());
                    assertEquals(
                            "y",
                            HostE2fs.run(
                                            "getfattr",
                                            "-n",
                                            "user.x",
                                            "--only-values",
                                            mnt.resolve("small").toString())
                                    .out());
                }
            } finally {
                HostE2fs.run("umount", mnt.toString());
            }
        } finally {
            Files.deleteIfExists(mnt);
        }
    }

    /** debugfs's "Blockcount:" (i_blocks in 512-byte units). */
    private static long blockcount(Path img, String f) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Blockcount: (\\d+)")
                .matcher(HostE2fs.debugfs(img, "stat " + f).out());
        assertTrue(m.find(), "no Blockcount for " + f);
        return Long.parseLong(m.group(1));
    }

    private static boolean isHtree(Path img, String d) {
        return HostE2fs.debugfs(img, "stat " + d).out().contains("Flags: 0x81000");
    }

    private static Set<String> names(String ls) {
        Set<String> out = new HashSet<>();
        for (String line : ls.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 0) {
                out.add(f[f.length - 1]);
            }
        }
        return out;
    }
}
