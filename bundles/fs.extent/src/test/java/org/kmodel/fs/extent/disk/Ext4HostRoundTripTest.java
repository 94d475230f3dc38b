package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.spi.Inode;

/**
 * Issue 13 acceptance, kmodel to host: mkfs + a mixed workload in kmodel (create, write, fallocate in every
 * mode, collapse, insert, rename, unlink, symlinks, 10,000 files in one directory), then the host's
 * e2fsck -fn must find nothing, debugfs must show the extents kmodel's FIEMAP shows and dump the bytes
 * kmodel reads, and (as root, where loop mounts work) the host kernel must read the same bytes.
 */
class Ext4HostRoundTripTest {
    private static final Pattern EXTENT = Pattern.compile("\\((\\d+)(?:-(\\d+))?(\\[u\\])?\\):(\\d+)(?:-(\\d+))?");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ext4-4k", "ext4-1k", "ext4-bigalloc64k"})
    void kmodelImageIsWhatE2fsprogsAndTheKernelRead(String fs) throws Exception {
        assumeTrue(HostE2fs.available(), "skipped: e2fsprogs (e2fsck, debugfs) not installed");
        FsProfile p = ModelProbe.profile(fs);
        Path img = dir.resolve(fs + ".img");
        Map<String, byte[]> content = new LinkedHashMap<>();
        Map<String, String> extents = new LinkedHashMap<>();
        try (BlockDevice dev = TestBlockDevices.image(img, 128L << 20)) {
            DiskSuperBlock.mkfs(dev, p);
            DiskSuperBlock sb = DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, "");
            workload(sb, p, fs.equals("ext4-4k") ? 10_000 : 500);
            collect(sb.root(), "", content, extents, p.blockSize());
            sb.kill();
        }
        HostE2fs.Result fsck = HostE2fs.fsck(img);
        assertEquals(0, fsck.rc(), fsck.out());
        int seen = 0;
        int compared = 0;
        for (Map.Entry<String, byte[]> e : content.entrySet()) {
            if (seen++ % 97 != 0 && !e.getKey().startsWith("/f")) {
                continue; // every file of the workload, and a sample of the 10,000 small ones
            }
            compared++;
            assertArrayEquals(e.getValue(), HostE2fs.dump(img, e.getKey()), "debugfs dump " + e.getKey());
            String stat = HostE2fs.debugfs(img, "stat " + e.getKey()).out();
            assertEquals(extents.get(e.getKey()), debugfsExtents(stat), "debugfs stat " + e.getKey());
        }
        assertEquals(
                "/f-fast",
                HostE2fs.debugfs(img, "stat /link-fast")
                        .out()
                        .lines()
                        .filter(l -> l.startsWith("Fast link dest:"))
                        .findFirst()
                        .orElse("")
                        .replace("Fast link dest: ", "")
                        .replace("\"", ""));
        boolean kernel = hostKernelReads(img, content);
        System.out.printf(
                "%s: e2fsck -fn clean; debugfs dump and stat extents agree on %d of %d files; %s%n",
                fs, compared, content.size(), kernel ? "the host kernel reads all of them" : "no host kernel check");
    }

    /** The workload: every fallocate mode, collapse, insert, rename, unlink, symlinks, a big directory. */
    static void workload(DiskSuperBlock sb, FsProfile p, int many) {
        int cs = p.clusterSize();
        Inode root = sb.root();
        SplittableRandom rnd = new SplittableRandom(13);
        for (int k = 0; k < 6; k++) {
            Inode f = root.create("f" + k, 0100644, 0);
            ModelProbe.writePattern(f, 0, 64L * cs + rnd.nextInt(cs));
        }
        Inode f0 = root.lookup("f0");
        assertEquals("OK", ModelProbe.run(f0, "COLLAPSE", 4L * cs, 2L * cs, Long.MAX_VALUE));
        assertEquals("OK", ModelProbe.run(f0, "INSERT", 8L * cs, 3L * cs, Long.MAX_VALUE));
        Inode f1 = root.lookup("f1");
        assertEquals("OK", ModelProbe.run(f1, "PUNCH|KEEP", 2L * cs + 100, 5L * cs, Long.MAX_VALUE));
        assertEquals("OK", ModelProbe.run(f1, "ZERO", 10L * cs, 3L * cs, Long.MAX_VALUE));
        assertEquals("OK", ModelProbe.run(f1, "ZERO|KEEP", 60L * cs, 10L * cs, Long.MAX_VALUE));
        Inode f2 = root.lookup("f2");
        assertEquals("OK", ModelProbe.run(f2, "0", 70L * cs, 8L * cs, Long.MAX_VALUE));
        assertEquals("OK", ModelProbe.run(f2, "KEEP", 100L * cs, 8L * cs, Long.MAX_VALUE));
        // a file of many extents: its tree grows past the inode into leaf blocks, then shrinks again
        Inode frag = root.create("f-frag", 0100644, 0);
        for (int k = 0; k < 400; k++) {
            ModelProbe.writePattern(frag, 2L * k * cs, 2L * k * cs + 10);
        }
        for (int k = 0; k < 3; k++) {
            assertEquals("OK", ModelProbe.run(frag, "COLLAPSE", 0, 2L * cs, Long.MAX_VALUE));
        }
        Inode small = root.create("f-shrink", 0100644, 0);
        for (int k = 0; k < 40; k++) {
            ModelProbe.writePattern(small, 2L * k * cs, 2L * k * cs + 10);
        }
        small.setattr(org.kmodel.vfs.spi.AttrChange.size(3L * cs, 0));
        root.rename("f3", root, "f-renamed");
        root.unlink("f4");
        Inode gone = sb.root().lookup("f5");
        root.unlink("f5");
        gone.evict();
        root.symlink("link-fast", "/f-fast");
        root.symlink("link-slow", "/" + "d/".repeat(60) + "target");
        Inode d = root.create("many", 0040755, 0);
        for (int k = 0; k < many; k++) {
            Inode x = d.create("file-" + k, 0100644, 0);
            if (k % 10 == 0) {
                ModelProbe.writePattern(x, 0, 100 + k);
            }
        }
        for (int k = 0; k < many; k += 7) {
            d.unlink("file-" + k);
            sb.inode(d.lookup("file-" + (k + 1)).ino()); // still there
        }
        Inode sub = root.create("sub", 0040755, 0);
        sub.create("inner", 0040755, 0);
        root.rename("sub", d, "moved-sub");
        sb.root().lookup("many").lookup("moved-sub").create("deep", 0100644, 0);
        root.create("empty", 0040755, 0);
        root.rmdir("empty");
    }

    static void collect(Inode dirInode, String path, Map<String, byte[]> content, Map<String, String> extents, int bs) {
        for (var e : dirInode.readdir()) {
            Inode c = dirInode.lookup(e.name());
            String name = path + "/" + e.name();
            int type = c.getattr().mode() & 0170000;
            if (type == 0100000) {
                content.put(name, ModelProbe.content(c));
                extents.put(name, fiemapAsDebugfs(c.mapExtents(0, Long.MAX_VALUE), bs));
            } else if (type == 0040000 && !e.name().equals("lost+found")) {
                collect(c, name, content, extents, bs);
            }
        }
    }

    static String fiemapAsDebugfs(List<FiemapExtent> fm, int bs) {
        List<String> out = new ArrayList<>();
        for (FiemapExtent x : fm) {
            long l = x.logical() / bs;
            long n = x.length() / bs;
            long pb = x.physical() / bs;
            boolean u = (x.flags() & FiemapExtent.UNWRITTEN) != 0;
            out.add(l + "+" + n + "@" + pb + (u ? "u" : ""));
        }
        return String.join(" ", out);
    }

    static String debugfsExtents(String stat) {
        List<String> out = new ArrayList<>();
        int at = stat.indexOf("EXTENTS:");
        if (at < 0) {
            return "";
        }
        Matcher m = EXTENT.matcher(stat.substring(at));
        while (m.find()) {
            long l0 = Long.parseLong(m.group(1));
            long l1 = m.group(2) == null ? l0 : Long.parseLong(m.group(2));
            out.add(l0 + "+" + (l1 - l0 + 1) + "@" + m.group(4) + (m.group(3) != null ? "u" : ""));
        }
        return String.join(" ", out);
    }

    /** As root: loop-mount read-only and compare every file (skipped cleanly elsewhere). */
    private boolean hostKernelReads(Path img, Map<String, byte[]> content) throws Exception {
        if (!HostE2fs.isRoot()) {
            System.out.println("host kernel check skipped: not root");
            return false;
        }
        Path mnt = Files.createTempDirectory("kmodel-ext4-mnt");
        HostE2fs.Result r = HostE2fs.run("mount", "-o", "loop,ro", "-t", "ext4", img.toString(), mnt.toString());
        if (r.rc() != 0) {
            System.out.println("host kernel check skipped: mount failed: " + r.out());
            Files.deleteIfExists(mnt);
            return false;
        }
        try {
            for (Map.Entry<String, byte[]> e : content.entrySet()) {
                assertArrayEquals(
                        e.getValue(), Files.readAllBytes(Path.of(mnt + e.getKey())), "kernel reads " + e.getKey());
            }
            assertEquals(
                    "/f-fast", Files.readSymbolicLink(mnt.resolve("link-fast")).toString());
            assertTrue(
                    Files.readSymbolicLink(mnt.resolve("link-slow")).toString().endsWith("target"));
            try (var names = Files.list(mnt.resolve("many"))) {
                assertTrue(names.count() > 100);
            }
        } finally {
            HostE2fs.run("umount", mnt.toString());
            Files.deleteIfExists(mnt);
        }
        return true;
    }
}
