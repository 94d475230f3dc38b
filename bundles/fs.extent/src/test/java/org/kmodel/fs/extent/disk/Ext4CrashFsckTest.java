package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.WriteRecorder;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.Inode;

/**
 * Issue 13 acceptance, crash: the write log of a bounded workload (writes, collapse, insert, punch, new files,
 * unlink, each step fsynced) is cut at every flush and FUA write and every 16th write, with and without a
 * random loss of the writes not yet flushed; each crashed image mounts in kmodel (jbd2 replay), holds one of
 * the committed states, and after umount passes the host's e2fsck -fn.
 */
class Ext4CrashFsckTest {
    private static final long DEV = 16L << 20;

    @TempDir
    Path dir;

    @Test
    void everyFlushPointReplaysToACommittedStateThatE2fsckAccepts() throws IOException {
        assumeTrue(HostE2fs.available(), "skipped: e2fsprogs not installed");
        FsProfile p = FsProfile.ext4(4096, 4096);
        BlockDevice base = TestBlockDevices.memory("base", DEV, 512);
        DiskSuperBlock.mkfs(base, p);
        WriteRecorder rec = TestBlockDevices.record(base);
        DiskSuperBlock sb = DiskSuperBlock.mount(rec, "ext4", KernelRelease.V6_18, 0, "");
        Inode f = sb.root().create("f", 0100644, 0);
        ModelProbe.writePattern(f, 0, 1 << 20);
        f.fsync();
        for (int k = 0; k < 30; k++) { // enough extents for a leaf block
            ModelProbe.run(f, "PUNCH|KEEP", (2L * k + 1) * 8192, 4096, Long.MAX_VALUE);
        }
        f.fsync();
        assertEquals("OK", ModelProbe.run(f, "COLLAPSE", 64 << 10, 64 << 10, Long.MAX_VALUE));
        f.fsync();
        assertEquals("OK", ModelProbe.run(f, "INSERT", 128 << 10, 32 << 10, Long.MAX_VALUE));
        f.fsync();
        Inode d = sb.root().create("d", 0040755, 0);
        for (int k = 0; k < 200; k++) {
            d.create("n" + k, 0100644, 0);
        }
        f.fsync();
        Inode g = d.create("g", 0100644, 0);
        ModelProbe.writePattern(g, 0, 200 << 10);
        d.unlink("n7");
        sb.root().symlink("s", "x".repeat(80));
        f.fsync();
        int n = rec.log().size();
        int checked = 0;
        Path img = dir.resolve("crashed.img");
        for (int cut = 0; cut <= n; cut++) {
            var e = cut < n ? rec.log().get(cut) : null;
            boolean point =
                    e == null || e.kind() == org.kmodel.block.WriteLogEntry.Kind.FLUSH || e.fua() || cut % 16 == 0;
            if (!point) {
                continue; // every flush and FUA write (commit blocks), every 16th write, and the end
            }
            for (long seed = 0; seed < 2; seed++) {
                // seed 1: a random subset of the writes not yet flushed is lost as well
                BlockDevice crashed = seed == 0 ? rec.replay(cut) : rec.replay(cut, seed);
                DiskSuperBlock after = DiskSuperBlock.mount(crashed, "ext4", KernelRelease.V6_18, 0, "");
                Inode h = after.root().lookup("f");
                if (h != null) {
                    long size = h.getattr().size();
                    assertTrue(
                            size == 1 << 20 || size == (1 << 20) - (64 << 10) || size == (1 << 20) - (32 << 10),
                            "a committed size, got " + size);
                }
                after.sync();
                after.store().finish(); // what umount does, before kill closes the device
                save(crashed, img);
                after.kill();
                HostE2fs.Result r = HostE2fs.fsck(img);
                assertEquals(0, r.rc(), "cut " + cut + "/" + n + " seed " + seed + ":\n" + r.out());
                checked++;
            }
        }
        assertTrue(checked > 5, "flush points: " + checked);
        System.out.println("ext4 crash + e2fsck: " + n + " log entries, " + checked
                + " crashed images (flush/FUA points, every 16th write, with and without lost unflushed writes)"
                + " replayed, e2fsck -fn clean on each");
    }

    private static void save(BlockDevice dev, Path img) throws IOException {
        try (FileChannel ch = FileChannel.open(
                img, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] b = new byte[1 << 20];
            for (long o = 0; o < dev.size(); o += b.length) {
                dev.read(o, b, 0, b.length);
                ch.write(ByteBuffer.wrap(b), o);
            }
        }
    }
}
