package org.kmodel.fs.jbd2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;

/**
 * The journal against the real tools. (1) kmodel writes transactions into the journal of an image made by
 * the host's mkfs.ext4 — many of them, so the log wraps and checkpoints, with revokes, an escaped block and
 * descriptors of many tags — then the image is left as after a power cut (needs_recovery set); the host's
 * {@code debugfs logdump} must walk it and {@code e2fsck -fy} must replay exactly the committed images and
 * then find the filesystem clean. (2) The other way: a journal the host kernel wrote (a loop-mounted image
 * copied while mounted) replayed by {@link Journal#recover()} gives the same image as {@code e2fsck -E
 * journal_only}. Skipped with the reason where e2fsprogs, root or loop mounts are missing.
 */
class Jbd2InteropTest {
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        String why = HostTools.e2fsprogsMissing();
        assumeTrue(why == null, () -> "skipped: " + why);
        dir = Files.createTempDirectory("kmodel-jbd2-");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static byte[] fsUuid(BlockDevice dev) {
        byte[] sb = new byte[1024];
        dev.read(1024, sb, 0, 1024);
        return Arrays.copyOfRange(sb, 0x68, 0x78);
    }

    /**
     * Sets INCOMPAT_RECOVER (0x4 at s_feature_incompat, 0x60) in the ext4 superblock, as ext4 does while the
     * journal is live, and recomputes its metadata_csum checksum (crc32c(~0, first 1020 bytes), little-endian
     * at 0x3FC; fs/ext4/super.c ext4_superblock_csum).
     */
    static void markNeedsRecovery(BlockDevice dev) {
        byte[] sb = new byte[1024];
        dev.read(1024, sb, 0, 1024);
        sb[0x60] |= 0x4;
        int c = Crc32c.update(~0, sb, 0, 0x3FC);
        sb[0x3FC] = (byte) c;
        sb[0x3FD] = (byte) (c >>> 8);
        sb[0x3FE] = (byte) (c >>> 16);
        sb[0x3FF] = (byte) (c >>> 24);
        dev.write(1024, sb, 0, 1024, true);
    }

    static byte[] read(BlockDevice d, long blk, int bs) {
        byte[] b = new byte[bs];
        d.read(blk * bs, b, 0, bs);
        return b;
    }

    @ParameterizedTest(name = "ext4 {0}-byte blocks")
    @ValueSource(ints = {1024, 4096})
    void e2fsckReplaysWhatKmodelCommitted(int bs) throws IOException {
        Path img = dir.resolve("k" + bs + ".img");
        HostTools.mkfsExt4(img, 64L << 20, bs);
        long[] jmap = HostTools.journalBlocks(img);
        long[] free = HostTools.freeBlocks(img, 400, bs == 1024 ? 30000 : 8000);
        Map<Long, byte[]> expect = new HashMap<>();
        Set<Long> revokedNeverCheckpointed = new HashSet<>();
        Random rnd = new Random(bs);
        int lastTid;
        try (BlockDevice dev = TestBlockDevices.image(img, 0)) {
            Journal j = Journal.load(dev, jmap, bs, fsUuid(dev));
            assertTrue(!j.recover(), "a fresh mkfs.ext4 journal is empty");
            // enough transactions to wrap the log at least once: lazy checkpoints move the tail
            int logged = 0;
            for (int t = 0; logged < j.capacity() * 3 / 2; t++) {
                Handle h = j.begin();
                int n = 20 + rnd.nextInt(90);
                for (int k = 0; k < n; k++) {
                    long b = free[100 + rnd.nextInt(300)];
                    byte[] img2 = new byte[bs];
                    rnd.nextBytes(img2);
                    h.write(b, img2);
                    expect.put(b, img2);
                }
                logged += n;
                j.commit(h, true);
            }
            assertTrue(j.counters()[1] > 0, "the log wrapped and was checkpointed");
            // the last transactions: 100 blocks (several descriptors at 1k), one starting with the jbd2
            // magic, then a revoke of ten of them, then one of those logged again
            Handle a = j.begin();
            for (int k = 0; k < 100; k++) {
                byte[] img2 = new byte[bs];
                rnd.nextBytes(img2);
                if (k == 20) {
                    JournalFormat.be32(img2, 0, JournalFormat.MAGIC);
                }
                a.write(free[k], img2);
                expect.put(free[k], img2);
            }
            j.commit(a, true);
            Handle r = j.begin();
            for (int k = 0; k < 10; k++) {
                r.revoke(free[k]);
                expect.remove(free[k]);
                revokedNeverCheckpointed.add(free[k]);
            }
            j.commit(r, false);
            Handle again = j.begin();
            byte[] five = new byte[bs];
            rnd.nextBytes(five);
            again.write(free[5], five);
            expect.put(free[5], five);
            revokedNeverCheckpointed.remove(free[5]);
            lastTid = j.commit(again, true);
            for (long b : revokedNeverCheckpointed) {
                assertArrayEquals(new byte[bs], read(dev, b, bs), "precondition: revoked block " + b + " not home yet");
            }
            // power cut: no checkpoint, no umount; ext4 had marked the filesystem as needing recovery
            markNeedsRecovery(dev);
        }
        HostTools.Run logdump = HostTools.run("debugfs", "-R", "logdump", img.toString());
        assertTrue(
                logdump.out().contains("Found expected sequence " + lastTid + ", type 2 (commit block)"),
                logdump.out());
        HostTools.Run fix = HostTools.run("e2fsck", "-fy", img.toString());
        assertTrue(fix.rc() == 0 || fix.rc() == 1, fix.out());
        assertTrue(fix.out().contains("recovering journal"), fix.out());
        HostTools.Run check = HostTools.run("e2fsck", "-fn", img.toString());
        assertEquals(0, check.rc(), check.out());
        try (BlockDevice dev = TestBlockDevices.image(img, 0)) {
            for (Map.Entry<Long, byte[]> e : expect.entrySet()) {
                assertArrayEquals(e.getValue(), read(dev, e.getKey(), bs), "block " + e.getKey());
            }
            for (long b : revokedNeverCheckpointed) {
                assertArrayEquals(new byte[bs], read(dev, b, bs), "revoked block " + b + " replayed");
            }
        }
    }

    @Test
    void kmodelReplaysAJournalTheHostKernelWrote() throws IOException {
        String why = HostTools.loopMountMissing();
        assumeTrue(why == null, () -> "skipped: " + why);
        Path img = dir.resolve("host.img");
        HostTools.mkfsExt4(img, 64L << 20, 4096);
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        HostTools.Run m = HostTools.run("mount", "-o", "loop", img.toString(), mnt.toString());
        assumeTrue(m.rc() == 0, () -> "skipped: loop mount failed: " + m.out());
        Path snap = dir.resolve("snap.img");
        try {
            for (int i = 0; i < 40; i++) {
                Files.writeString(mnt.resolve("f" + i), "file " + i + "\n".repeat(i));
            }
            Files.createDirectories(mnt.resolve("d/e"));
            Files.write(mnt.resolve("d/e/big"), new byte[300_000]);
            Files.delete(mnt.resolve("f3"));
            HostTools.run("sync", "-f", mnt.toString());
            // the disk as a power cut now would leave it: the journal is live (s_start != 0)
            HostTools.Run cp = HostTools.run("cp", "--sparse=always", img.toString(), snap.toString());
            assertEquals(0, cp.rc(), cp.out());
        } finally {
            HostTools.run("umount", mnt.toString());
        }
        Path ours = dir.resolve("ours.img");
        Path theirs = dir.resolve("theirs.img");
        Files.copy(snap, ours);
        Files.copy(snap, theirs);
        long[] jmap = HostTools.journalBlocks(snap);
        boolean replayed;
        int[] counts;
        try (BlockDevice dev = TestBlockDevices.image(ours, 0)) {
            Journal j = Journal.load(dev, jmap, 4096, fsUuid(dev));
            assertTrue(j.needsRecovery(), "the kernel keeps s_start set while mounted");
            replayed = j.recover();
            counts = j.lastRecoveryCounts();
        }
        assertTrue(replayed, "transactions replayed");
        HostTools.Run e2 = HostTools.run("e2fsck", "-y", "-E", "journal_only", theirs.toString());
        assertTrue(e2.rc() == 0 || e2.rc() == 1, e2.out());
        Set<Long> journal = new HashSet<>();
        for (long b : jmap) {
            journal.add(b);
        }
        int differ = 0;
        long compared = 0;
        try (BlockDevice a = TestBlockDevices.image(ours, 0);
                BlockDevice b = TestBlockDevices.image(theirs, 0)) {
            // from block 1: block 0 holds the ext4 superblock, whose needs_recovery flag only e2fsck clears
            for (long blk = 1; blk < a.size() / 4096; blk++) {
                if (journal.contains(blk)) {
                    continue; // the journal superblock: e2fsck and kmodel pick different next ids
                }
                if (!Arrays.equals(read(a, blk, 4096), read(b, blk, 4096))) {
                    differ++;
                }
                compared++;
            }
        }
        System.out.printf(
                "host kernel journal: %d transactions, %d blocks replayed, %d revoked skipped; "
                        + "%d blocks compared with e2fsck -E journal_only, %d differ%n",
                counts[0], counts[1], counts[2], compared, differ);
        assertNotEquals(0, counts[1]);
        assertEquals(0, differ);
    }
}
