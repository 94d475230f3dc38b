package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.WriteLogEntry;
import org.kmodel.block.WriteRecorder;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.Inode;

/**
 * Stale data (xfstests generic/042 idea, docs/testing.md#stale-data-and-crashes) and crash consistency (dm-log-writes replay,
 * xfstests' log-writes tests): the device is filled with a poison pattern before mkfs, a secret file is written and deleted, then
 * every fallocate mode runs; no read of any range, and no replayed crash prefix, ever shows poison or secret.
 */
class CrashAndStaleDataTest {
    private static final long DEV = 16L << 20;
    private static final byte POISON = (byte) 0xCD;
    private static final byte SECRET = (byte) 0x5E;

    private static BlockDevice poisoned() {
        BlockDevice dev = TestBlockDevices.memory("poison", DEV, 512);
        byte[] p = new byte[1 << 16];
        Arrays.fill(p, POISON);
        for (long o = 0; o < DEV; o += p.length) {
            dev.write(o, p, 0, p.length, false);
        }
        return dev;
    }

    private static void fill(Inode f, long from, long to, byte v) {
        for (long page = from / 4096; page * 4096 < to; page++) {
            byte[] b = new byte[4096];
            f.readPage(page, b);
            for (long o = Math.max(from, page * 4096); o < Math.min(to, (page + 1) * 4096); o++) {
                b[(int) (o - page * 4096)] = v;
            }
            long size = Math.max(f.getattr().size(), Math.min(to, (page + 1) * 4096));
            f.writePage(page, b, (int) Math.min(4096, size - page * 4096));
            f.extendSize(size);
        }
    }

    private static void fa(Inode f, int mode, long off, long len) {
        FallocateRequest r = new FallocateRequest(mode, off, len, f.getattr().size(), Long.MAX_VALUE);
        f.fallocateCheck(r);
        f.fallocate(r);
    }

    /** Reads the whole file and 64 KiB past EOF (after extending over post-EOF blocks), looking for poison. */
    private static void assertClean(Inode f) {
        byte[] all = ModelProbe.content(f);
        for (int i = 0; i < all.length; i++) {
            if (all[i] == POISON || all[i] == SECRET) {
                throw new AssertionError("stale byte " + all[i] + " at " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4-4k", "ext4-1k", "ext4-bigalloc64k", "xfs-4k", "xfs-1k", "xfs-512", "xfs-64k"})
    void noModeEverExposesStaleBlocks(String fs) {
        FsProfile p = ModelProbe.profile(fs);
        BlockDevice dev = poisoned();
        DiskSuperBlock.mkfs(dev, p);
        DiskSuperBlock sb = DiskSuperBlock.mount(dev, p.type(), KernelRelease.V6_18, 0, "");
        Inode secret = sb.root().create("secret", 0100600, 0);
        fill(secret, 0, 4L << 20, SECRET);
        secret.fsync();
        sb.root().unlink("secret");
        secret.evict();
        sb.commit();
        Inode f = sb.root().create("f", 0100644, 0);
        int cs = p.clusterSize();
        fill(f, 0, 100, (byte) 1);
        fa(f, 0x01, 0, 1 << 20); // KEEP_SIZE prealloc past EOF
        f.setattr(org.kmodel.vfs.spi.AttrChange.size(1 << 19, 0)); // ftruncate up over it
        assertClean(f);
        fa(f, 0x00, 1 << 19, 1 << 19); // mode 0 extend
        fa(f, 0x10, 1000, 3 * cs + 5); // zero range, unaligned
        fill(f, 3 * cs + 7, 3 * cs + 11, (byte) 2); // partial write into an unwritten block
        fa(f, 0x03, 50, 2 * cs); // punch
        fill(f, 60, 70, (byte) 3); // write into the punched hole
        fa(f, 0x08, cs, cs); // collapse
        fa(f, 0x20, 2 * cs, 2 * cs); // insert
        fa(f, 0x11, f.getattr().size() - 10, 4 * cs); // zero past EOF, keep size
        f.setattr(org.kmodel.vfs.spi.AttrChange.size(f.getattr().size() + 8 * cs, 0));
        assertClean(f);
        assertTrue(f.getattr().blocks() > 0);
    }

    @Test
    void everyCrashPrefixOfACollapseIsOldOrNewAndNeverStale() {
        FsProfile p = FsProfile.ext4(4096, 4096);
        BlockDevice base = poisoned();
        DiskSuperBlock.mkfs(base, p);
        WriteRecorder rec = TestBlockDevices.record(base);
        DiskSuperBlock sb = DiskSuperBlock.mount(rec, "ext4", KernelRelease.V6_18, 0, "");
        Inode secret = sb.root().create("secret", 0100600, 0);
        fill(secret, 0, 256 << 10, SECRET);
        Inode f = sb.root().create("f", 0100644, 0);
        fill(f, 0, 256 << 10, (byte) 7);
        sb.commit();
        sb.root().unlink("secret");
        secret.evict();
        fa(f, 0x08, 64 << 10, 64 << 10); // collapse: frees blocks, shifts extents
        f.fsync();
        fa(f, 0x01, 0, 1 << 20); // KEEP_SIZE prealloc reuses the freed space
        fill(f, 100 << 10, 116 << 10, (byte) 9); // writes into preallocated blocks
        f.fsync();
        fa(f, 0x03, 8 << 10, 32 << 10); // punch, then the space goes to a new file
        f.fsync();
        Inode g2 = sb.root().create("g", 0100644, 0);
        fill(g2, 0, 64 << 10, (byte) 11);
        f.fsync();
        int n = rec.log().size();
        int checked = 0;
        int withFile = 0;
        for (int cut = 0; cut <= n; cut++) {
            for (long seed = 0; seed < 3; seed++) {
                BlockDevice crashed = seed == 0 ? rec.replay(cut) : rec.replay(cut, seed);
                DiskSuperBlock after = DiskSuperBlock.mount(crashed, "ext4", KernelRelease.V6_18, 0, "");
                Inode g = after.root().lookup("f");
                checked++;
                if (g == null) { // crash before the first commit: the empty filesystem mkfs left
                    assertEquals(null, after.root().lookup("secret"));
                    continue;
                }
                withFile++;
                long size = g.getattr().size();
                assertTrue(size == 256 << 10 || size == 192 << 10, "old or new size, got " + size);
                assertClean(g);
                Inode other = after.root().lookup("g");
                if (other != null) {
                    assertClean(other); // blocks punched from f, reused: never f's old bytes... nor poison
                }
                Inode s = after.root().lookup("secret");
                if (s != null) {
                    assertEquals(256 << 10, s.getattr().size());
                }
            }
        }
        assertTrue(checked > 10, "crash points checked: " + checked);
        System.out.println("collapse crash test: " + n + " log entries, " + checked + " crashed images mounted ("
                + withFile + " after the first commit), none stale");
        assertFalse(rec.log().stream().noneMatch(e -> e.kind() == WriteLogEntry.Kind.FLUSH));
    }

    @Test
    void remountKeepsDataAndExtents() {
        FsProfile p = FsProfile.xfs(4096);
        BlockDevice dev = TestBlockDevices.memory("ram", DEV, 512);
        DiskSuperBlock.mkfs(dev, p);
        DiskSuperBlock sb = DiskSuperBlock.mount(dev, "xfs", KernelRelease.V6_18, 0, "");
        Inode d = sb.root().create("dir", 0040755, 0);
        Inode f = d.create("f", 0100644, 0);
        ModelProbe.writePattern(f, 0, 1 << 20);
        fa(f, 0x08, 4096, 4096);
        fa(f, 0x01, 2 << 20, 1 << 20);
        String before = ModelProbe.contentRuns(ModelProbe.content(f)) + f.mapExtents(0, Long.MAX_VALUE);
        sb.sync();
        BlockDevice copy = TestBlockDevices.copy(dev, "remount"); // what the device holds after a clean umount
        sb.kill();
        DiskSuperBlock again = DiskSuperBlock.mount(copy, "xfs", KernelRelease.V6_18, 0, "");
        Inode g = again.root().lookup("dir").lookup("f");
        assertEquals(before, ModelProbe.contentRuns(ModelProbe.content(g)) + g.mapExtents(0, Long.MAX_VALUE));
        assertEquals(
                Errno.EINVAL,
                assertThrows(
                                KernelException.class,
                                () -> DiskSuperBlock.mount(dev2(again), "ext4", KernelRelease.V6_18, 0, ""))
                        .errno());
    }

    private static BlockDevice dev2(DiskSuperBlock sb) {
        return sb.device();
    }

    @Test
    void garbageAndTruncatedImagesFailCleanly() {
        BlockDevice junk = TestBlockDevices.memory("junk", DEV, 512);
        byte[] b = new byte[4096];
        new SplittableRandom(1).nextBytes(b);
        junk.write(0, b, 0, b.length, false);
        assertEquals(
                Errno.EINVAL,
                assertThrows(
                                KernelException.class,
                                () -> DiskSuperBlock.mount(junk, "ext4", KernelRelease.V6_18, 0, ""))
                        .errno());
        BlockDevice good = TestBlockDevices.memory("good", DEV, 512);
        DiskSuperBlock.mkfs(good, FsProfile.ext4(4096, 4096));
        BlockDevice truncated = TestBlockDevices.memory("short", DEV / 2, 512);
        byte[] head = new byte[1 << 20];
        good.read(0, head, 0, head.length);
        truncated.write(0, head, 0, head.length, false);
        assertEquals(
                Errno.EINVAL,
                assertThrows(
                                KernelException.class,
                                () -> DiskSuperBlock.mount(truncated, "ext4", KernelRelease.V6_18, 0, ""))
                        .errno());
        // a flipped bit in the ext4 superblock (byte 1024 on): ext4_superblock_csum_verify fails and the
        // mount returns EFSBADCRC, which is EBADMSG (fs/ext4/super.c __ext4_fill_super)
        byte[] sector = new byte[512];
        good.read(1024, sector, 0, 512);
        sector[100] ^= 1;
        good.write(1024, sector, 0, 512, false);
        assertEquals(
                Errno.EBADMSG,
                assertThrows(
                                KernelException.class,
                                () -> DiskSuperBlock.mount(good, "ext4", KernelRelease.V6_18, 0, ""))
                        .errno());
        // kmodel's own format (xfs) keeps its checkpoint checksums: a flipped bit there is EUCLEAN
        BlockDevice x = TestBlockDevices.memory("xfs", DEV, 512);
        DiskSuperBlock.mkfs(x, FsProfile.xfs(4096));
        x.read(0, sector, 0, 512);
        sector[100] ^= 1;
        x.write(0, sector, 0, 512, false);
        x.read(4096, sector, 0, 512);
        sector[100] ^= 1;
        x.write(4096, sector, 0, 512, false);
        assertEquals(
                Errno.EUCLEAN,
                assertThrows(KernelException.class, () -> DiskSuperBlock.mount(x, "xfs", KernelRelease.V6_18, 0, ""))
                        .errno());
    }
}
