package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.FsckResult;
import org.kmodel.fs.extent.Extent;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.Inode;

/**
 * Issue 12 item 4: fsck of kmodel's own format (xfs: checkpoint + delta log) finds what the mount refuses an image
 * for and repairs it. The damage is done to kmodel's checkpoint records, so those tests run on xfs only: ext4
 * images are real ext4 now, checked read-only by {@link Ext4Fsck} (the ext4 tests at the end), repaired by e2fsck.
 * Original summary: fsck finds what the mount refuses an image for and repairs it; -n changes nothing; the
 * repaired image mounts and keeps the data of every file the damage did not touch.
 */
class Issue12FsckTest {
    private static final long DEV = 32L << 20;

    private static byte[] image(BlockDevice dev) {
        byte[] b = new byte[(int) dev.size()];
        dev.read(0, b, 0, b.length);
        return b;
    }

    private static BlockDevice withFiles(FsProfile p) {
        BlockDevice dev = TestBlockDevices.memory("ram", DEV, 512);
        DiskSuperBlock.mkfs(dev, p);
        DiskSuperBlock sb = DiskSuperBlock.mount(dev, p.type(), KernelRelease.V6_18, 0, "");
        Inode a = sb.root().create("a", 0100644, 0);
        ModelProbe.writePattern(a, 0, 64 << 10);
        Inode dir = sb.root().create("d", 0040755, 0);
        Inode b = dir.create("b", 0100644, 0);
        ModelProbe.writePattern(b, 0, 16 << 10);
        sb.commit();
        return dev;
    }

    /** Rewrites the newest checkpoint after {@code damage} changed it, as a buggy writer or bit rot would. */
    private static void damage(BlockDevice dev, String type, java.util.function.Consumer<MetadataCodec.Checkpoint> d) {
        MountReader.Found f = MountReader.newest(dev, type);
        int cpc = f.sb().clusterSize() / f.sb().blockSize();
        // the checkpoint plus its delta log, as the mount sees it; the damaged state becomes a new checkpoint
        MetadataCodec.Checkpoint cp = DeltaLogReplay.replay(
                        dev,
                        f.sb(),
                        MetadataCodec.decode(f.blob()),
                        f.sb().dataStart() / cpc,
                        f.sb().blockCount() / cpc,
                        cpc)
                .checkpoint();
        d.accept(cp);
        DeltaLogStore.writeCheckpoint(
                dev,
                f.sb(),
                MetadataCodec.encodeDecoded(cp.nextIno(), cp.inodes().values(), cp.freeRuns()));
    }

    private static MetadataCodec.Decoded named(MetadataCodec.Checkpoint cp, FsProfile p, String name) {
        return cp.inodes().get(cp.inodes().get(p.rootIno()).inode().entries.get(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xfs-4k", "xfs-512"})
    void item4CleanImageIsClean(String type) {
        FsProfile p = ModelProbe.profile(type);
        BlockDevice dev = withFiles(p);
        FsckResult r = DiskFsck.check(dev, p.type(), true);
        assertEquals(List.of(), r.problems());
        assertEquals(FsckResult.CLEAN, r.exitStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xfs-4k", "xfs-512"})
    void item4DamagedMetadataIsFoundByNAndRepairedByY(String type) {
        FsProfile p = ModelProbe.profile(type);
        BlockDevice dev = withFiles(p);
        long outside = DEV / p.blockSize() + 10;
        damage(dev, p.type(), cp -> {
            cp.freeRuns().remove(cp.freeRuns().size() - 1); // pass 5: free space lost
            cp.inodes().get(p.rootIno()).inode().entries.put("ghost", 999_999L); // pass 2: dangling entry
            MetadataCodec.Decoded a = named(cp, p, "a");
            a.inode().nlink = 7; // pass 4: link count
            List<Extent> ext = new ArrayList<>(a.extents());
            ext.add(new Extent(1 << 20, 1, outside, false)); // pass 1: outside the device
            cp.inodes().put(a.inode().ino, new MetadataCodec.Decoded(a.inode(), a.size(), ext));
            InodeData lost = new InodeData(cp.nextIno(), InodeData.S_IFREG | 0644); // pass 3: unattached
            lost.nlink = 1;
            cp.inodes().put(lost.ino, new MetadataCodec.Decoded(lost, 0, List.of()));
        });
        KernelException e = assertThrows(
                KernelException.class, () -> DiskSuperBlock.mount(dev, p.type(), KernelRelease.V6_18, 0, ""));
        assertEquals(Errno.EUCLEAN, e.errno(), "the mount refuses the image");
        byte[] before = image(dev);
        FsckResult n = DiskFsck.check(dev, p.type(), false);
        assertEquals(FsckResult.UNCORRECTED, n.exitStatus());
        String all = String.join("\n", n.problems());
        for (String pass : List.of(
                "outside the data area",
                "bad inode number 999999",
                "connected to /lost+found",
                "link count is 7, should be 1",
                "free space runs differ")) {
            assertTrue(all.contains(pass), pass + " in " + all);
        }
        assertArrayEquals(before, image(dev), "-n writes nothing");
        FsckResult y = DiskFsck.check(dev, p.type(), true);
        assertEquals(FsckResult.CORRECTED, y.exitStatus(), y.problems().toString());
        assertEquals(List.of(), DiskFsck.check(dev, p.type(), false).problems());
        DiskSuperBlock sb = DiskSuperBlock.mount(dev, p.type(), KernelRelease.V6_18, 0, "");
        Inode a = sb.root().lookup("a");
        assertEquals(1, a.getattr().nlink());
        assertTrue(sb.root().lookup("ghost") == null);
        assertTrue(sb.root().lookup("lost+found").lookup("#" + (sb.inodeCount() > 0 ? findLost(sb) : 0)) != null);
        byte[] want = new byte[64 << 10];
        byte[] got = new byte[64 << 10];
        ModelProbe.writePattern(sb.root().create("ref", 0100644, 0), 0, 64 << 10);
        readAll(sb.root().lookup("ref"), want);
        readAll(a, got);
        assertArrayEquals(want, got, "the file the damage did not touch reads as written");
    }

    private static long findLost(DiskSuperBlock sb) {
        for (var e : sb.root().lookup("lost+found").readdir()) {
            if (e.name().startsWith("#")) {
                return Long.parseLong(e.name().substring(1));
            }
        }
        return -1;
    }

    private static void readAll(Inode f, byte[] into) {
        byte[] page = new byte[4096];
        for (int i = 0; i < into.length / 4096; i++) {
            f.readPage(i, page);
            System.arraycopy(page, 0, into, i * 4096, 4096);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xfs-4k", "xfs-512"})
    void item4OneBadSuperblockCopyIsRewrittenFromTheOther(String type) {
        FsProfile p = ModelProbe.profile(type);
        BlockDevice dev = withFiles(p);
        MountReader.Found f = MountReader.newest(dev, p.type());
        byte[] sector = new byte[512];
        long at = (long) (1 - f.sb().slot()) * p.blockSize();
        dev.read(at, sector, 0, 512);
        java.util.Arrays.fill(sector, 40, 48, (byte) 0x5a);
        dev.write(at, sector, 0, 512, true);
        FsckResult y = DiskFsck.check(dev, p.type(), true);
        assertEquals(FsckResult.CORRECTED, y.exitStatus(), y.problems().toString());
        assertEquals(List.of(), DiskFsck.check(dev, p.type(), false).problems());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xfs"})
    void item4AnAllZeroImageIsReportedNotRepaired(String type) {
        BlockDevice dev = TestBlockDevices.memory("zero", DEV, 512);
        FsckResult r = DiskFsck.check(dev, type, true);
        assertEquals(FsckResult.UNCORRECTED, r.exitStatus());
        assertTrue(r.problems().get(0).contains("all zero"), r.problems().toString());
        assertTrue(DiskFsck.isAllZero(dev));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4-1k", "ext4-4k", "ext4-bigalloc64k"})
    void item4RealExt4CleanImageIsCleanAndTheCheckWritesNothing(String type) throws java.io.IOException {
        FsProfile p = ModelProbe.profile(type);
        BlockDevice dev = withFiles(p);
        assertTrue(Ext4Store.isExt4(dev));
        byte[] before = image(dev);
        FsckResult r = Ext4Fsck.check(dev, false);
        assertEquals(List.of(), r.problems());
        assertEquals(FsckResult.CLEAN, r.exitStatus());
        assertArrayEquals(before, image(dev), "the check (journal replay included) never writes the image");
        // the oracle: after an umount (journal checkpointed), the host's e2fsck -fn agrees the image is clean
        DiskSuperBlock m = DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, "");
        m.sync();
        m.store().finish();
        byte[] umounted = image(dev); // before kill closes the device
        m.kill();
        BlockDevice copy = TestBlockDevices.memory("ram", DEV, 512);
        copy.write(0, umounted, 0, umounted.length, false);
        FsckResult after = Ext4Fsck.check(copy, false);
        assertEquals(List.of(), after.problems());
        assertEquals(FsckResult.CLEAN, Ext4Fsck.check(copy, true).exitStatus(), "-y on a clean image: nothing to do");
        assertArrayEquals(umounted, image(copy), "-y on a clean image writes nothing");
        if (HostE2fs.available()) {
            java.nio.file.Path img = java.nio.file.Files.createTempFile("issue12-fsck", ".img");
            try {
                java.nio.file.Files.write(img, umounted);
                HostE2fs.Result host = HostE2fs.fsck(img);
                assertEquals(0, host.rc(), host.out());
            } finally {
                java.nio.file.Files.deleteIfExists(img);
            }
        }
    }

    /** An ext4 image with files, unmounted as umount leaves it (journal checkpointed, needs_recovery clear). */
    private static BlockDevice umounted(FsProfile p) {
        BlockDevice dev = withFiles(p);
        DiskSuperBlock m = DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, "");
        m.sync();
        m.store().finish();
        byte[] img = image(dev);
        BlockDevice copy = TestBlockDevices.memory("ram", DEV, 512);
        copy.write(0, img, 0, img.length, false);
        return copy;
    }

    private static void poke(BlockDevice dev, long offset, java.util.function.Consumer<byte[]> change) {
        long blk = offset & ~1023L;
        byte[] b = new byte[1024];
        dev.read(blk, b, 0, 1024);
        byte[] x = java.util.Arrays.copyOfRange(b, (int) (offset - blk), b.length);
        change.accept(x);
        System.arraycopy(x, 0, b, (int) (offset - blk), x.length);
        dev.write(blk, b, 0, 1024, true);
    }

    private static org.kmodel.fs.extent.ext4.Ext4Super superOf(BlockDevice dev) {
        byte[] raw = new byte[1024];
        dev.read(1024, raw, 0, 1024);
        return new org.kmodel.fs.extent.ext4.Ext4Super(raw);
    }

    /** Where inode {@code ino} of group 0 lies, in bytes. */
    private static long inodeAt(BlockDevice dev, long ino) {
        var sb = superOf(dev);
        byte[] gdt = new byte[sb.blockSize()];
        dev.read(sb.gdtStart() * sb.blockSize(), gdt, 0, gdt.length);
        var gd = new org.kmodel.fs.extent.ext4.GroupDescs(sb, gdt);
        return gd.inodeTable(0) * sb.blockSize() + (ino - 1) * sb.inodeSize();
    }

    private static byte[] contentOf(BlockDevice dev, String dir, String name) {
        DiskSuperBlock m = DiskSuperBlock.mount(new Ext4Fsck.Overlay(dev), "ext4", KernelRelease.V6_18, 0, "");
        Inode d = dir == null ? m.root() : m.root().lookup(dir);
        Inode f = d.lookup(name);
        byte[] b = new byte[(int) f.getattr().size()];
        readAll(f, b);
        return b;
    }

    /**
     * Issue 12 item 4, fsck -y on the real ext4 format: each kind of damage the mount refuses or the check reports
     * is repaired (status 1), the image then checks clean, mounts, keeps every file's bytes, and the host's
     * e2fsck -fn agrees it is clean (skipped without e2fsprogs).
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "superblock-checksum",
                "superblock-geometry",
                "descriptor-checksum",
                "free-counts",
                "inode-checksum",
                "link-count",
                "needs-recovery"
            })
    void item4RealExt4RepairFixesWhatTheMountCheckFinds(String damage) throws java.io.IOException {
        FsProfile p = ModelProbe.profile("ext4-1k");
        BlockDevice dev = damage.equals("needs-recovery") ? withFiles(p) : umounted(p);
        byte[] a = contentOf(dev, null, "a");
        byte[] b = contentOf(dev, "d", "b");
        long bs = superOf(dev).blockSize();
        switch (damage) {
            case "superblock-checksum" -> poke(dev, 1024, x -> x[0x78] ^= 0x5a); // s_volume_name, checksum stale
            case "superblock-geometry" ->
                poke(
                        dev,
                        1024,
                        x -> { // s_inodes_per_group 0, checksum resealed
                            org.kmodel.fs.extent.ext4.Le.put32(x, 0x28, 0);
                            System.arraycopy(
                                    new org.kmodel.fs.extent.ext4.Ext4Super(java.util.Arrays.copyOf(x, 1024)).encode(),
                                    0,
                                    x,
                                    0,
                                    1024);
                        });
            case "descriptor-checksum" -> poke(dev, 2 * bs, x -> x[0x0C] ^= 1); // bg_free_blocks_count_lo, stale csum
            case "free-counts" -> {
                var sb = superOf(dev);
                sb.freeBlocks(sb.freeBlocks() - 5);
                poke(dev, 1024, x -> System.arraycopy(sb.encode(), 0, x, 0, 1024));
                byte[] gdt = new byte[(int) bs];
                dev.read(2 * bs, gdt, 0, gdt.length);
                var gd = new org.kmodel.fs.extent.ext4.GroupDescs(sb, gdt);
                gd.freeInodes(0, gd.freeInodes(0) + 1);
                gd.seal(0);
                dev.write(2 * bs, gd.table(), 0, gdt.length, true);
            }
            case "inode-checksum" -> poke(dev, inodeAt(dev, 12), x -> x[0x08] ^= 1); // i_atime of 'a', stale csum
            case "link-count" ->
                poke(dev, inodeAt(dev, 12), x -> {
                    var in = new org.kmodel.fs.extent.ext4.Ext4Inode(java.util.Arrays.copyOf(x, 256));
                    in.links(5);
                    in.seal(superOf(dev).csumSeed(), 12);
                    System.arraycopy(in.raw(), 0, x, 0, 256);
                });
            default -> {
                // needs_recovery: the image as a crash after the commit leaves it
            }
        }
        FsckResult n = Ext4Fsck.check(dev, false);
        if (!damage.equals("needs-recovery")) {
            assertEquals(FsckResult.UNCORRECTED, n.exitStatus(), damage + ": -n finds it");
        }
        FsckResult y = Ext4Fsck.check(dev, true);
        assertEquals(FsckResult.CORRECTED, y.exitStatus(), damage + ": " + y.problems());
        assertTrue(y.repaired());
        assertEquals(List.of(), Ext4Fsck.check(dev, false).problems(), damage + ": clean after the repair");
        assertArrayEquals(a, contentOf(dev, null, "a"), "the data of 'a' kept");
        assertArrayEquals(b, contentOf(dev, "d", "b"), "the data of 'd/b' kept");
        if (HostE2fs.available()) {
            java.nio.file.Path img = java.nio.file.Files.createTempFile("issue12-repair", ".img");
            try {
                java.nio.file.Files.write(img, image(dev));
                HostE2fs.Result host = HostE2fs.fsck(img);
                assertEquals(0, host.rc(), damage + ": host e2fsck -fn after the repair:\n" + host.out());
            } finally {
                java.nio.file.Files.deleteIfExists(img);
            }
        } else {
            System.out.println("e2fsprogs not found: the host's e2fsck -fn cross-check skipped");
        }
    }

    /**
     * What the repair cannot do is refused with status 4 and a line naming e2fsck, and the image is left as it was:
     * here a superblock with a bad geometry on an image of one group (4 KiB blocks, 32 MiB), so with no backup.
     */
    @Test
    void item4RealExt4RepairRefusesWhatItCannotFixAndChangesNothing() {
        BlockDevice dev = umounted(ModelProbe.profile("ext4-4k"));
        poke(dev, 1024, x -> {
            org.kmodel.fs.extent.ext4.Le.put32(x, 0x28, 0);
            System.arraycopy(
                    new org.kmodel.fs.extent.ext4.Ext4Super(java.util.Arrays.copyOf(x, 1024)).encode(), 0, x, 0, 1024);
        });
        byte[] before = image(dev);
        FsckResult y = Ext4Fsck.check(dev, true);
        assertEquals(FsckResult.UNCORRECTED, y.exitStatus());
        String last = y.problems().get(y.problems().size() - 1);
        assertTrue(last.startsWith("cannot repair: the superblock is invalid and no backup superblock is valid"), last);
        assertTrue(last.endsWith("run e2fsck -fy on it"), last);
        assertArrayEquals(before, image(dev), "a refused repair writes nothing");
    }

    /**
     * Found by MountFuzzTest's long run: a directory whose extent maps a logical block far past the filesystem's
     * block count made the model allocate one in-memory record per hole block until the heap was gone (3.3 million
     * records, then OutOfMemoryError, in the mount that fsck -y makes). Mount and fsck now refuse it with EUCLEAN.
     */
    @Test
    void directoryExtentFarPastTheFilesystemIsRefusedNotAllocated() {
        BlockDevice dev = umounted(ModelProbe.profile("ext4-1k"));
        long blocks = superOf(dev).blocksCount();
        poke(
                dev,
                inodeAt(dev, 13),
                x -> { // inode 13 is directory 'd' (11 is lost+found, 12 is 'a')
                    var in = new org.kmodel.fs.extent.ext4.Ext4Inode(java.util.Arrays.copyOf(x, 256));
                    assertEquals(0040000, in.mode() & 0170000, "inode 13 is the directory");
                    byte[] ib = in.iblock();
                    org.kmodel.fs.extent.ext4.Le.put32(ib, 12, 0x7fff0000); // ee_block of the first leaf entry
                    in.iblock(ib);
                    in.seal(superOf(dev).csumSeed(), 13);
                    System.arraycopy(in.raw(), 0, x, 0, 256);
                });
        byte[] before = image(dev);
        KernelException e = assertThrows(
                KernelException.class,
                () -> DiskSuperBlock.mount(new Ext4Fsck.Overlay(dev), "ext4", KernelRelease.V6_18, 0, ""));
        assertEquals(Errno.EUCLEAN, e.errno());
        assertEquals(
                "EXT4-fs error: directory #13: logical block " + (0x7fff0000L) + " beyond the filesystem's " + blocks
                        + " blocks: " + Errno.EUCLEAN.strerror(),
                e.getMessage());
        FsckResult y = Ext4Fsck.check(dev, true);
        assertEquals(FsckResult.UNCORRECTED, y.exitStatus(), "fsck -y cannot repair it and says so: " + y.problems());
        assertArrayEquals(before, image(dev), "nothing written");
    }

    /**
     * MountFuzzTest finding of 4 Dec (run H, seed {@code finding_root_stale_after_fsck}): a root inode whose link
     * count is 0 mounted, the orphan cleanup then freed it and every lookup was ESTALE, also after fsck -y. The
     * host kernel refuses such an image: {@code debugfs -w -R "sif <2> links_count 0"} on a fresh mkfs.ext4
     * image, then {@code mount -o loop} fails with "Structure needs cleaning" and dmesg shows "inode #2: comm
     * mount: iget: special inode unallocated" and "get root inode failed". e2fsck -fy allocates a new root
     * (its pass 3); the model's fsck does not, and says so.
     */
    @Test
    void rootWithNoLinksIsRefusedAsTheKernelDoes() {
        BlockDevice dev = umounted(ModelProbe.profile("ext4-1k"));
        poke(dev, inodeAt(dev, 2), x -> {
            var in = new org.kmodel.fs.extent.ext4.Ext4Inode(java.util.Arrays.copyOf(x, 256));
            assertEquals(0040000, in.mode() & 0170000, "inode 2 is the root directory");
            in.links(0);
            in.seal(superOf(dev).csumSeed(), 2);
            System.arraycopy(in.raw(), 0, x, 0, 256);
        });
        byte[] before = image(dev);
        KernelException e = assertThrows(
                KernelException.class,
                () -> DiskSuperBlock.mount(new Ext4Fsck.Overlay(dev), "ext4", KernelRelease.V6_18, 0, ""));
        assertEquals(Errno.EUCLEAN, e.errno());
        assertEquals(
                "EXT4-fs error: inode #2: iget: special inode unallocated; get root inode failed: "
                        + Errno.EUCLEAN.strerror(),
                e.getMessage());
        FsckResult y = Ext4Fsck.check(dev, true);
        assertEquals(FsckResult.UNCORRECTED, y.exitStatus(), "fsck -y cannot repair it and says so: " + y.problems());
        assertArrayEquals(before, image(dev), "nothing written");
    }

    /**
     * Issue 12 case 4, re-run on 4 Dec: a primary superblock whose magic number is gone was "bad magic number in both
     * superblocks: not a kmodel ext4 image" for {@code fsck -y -t ext4}, though the host's e2fsck recovers the same
     * image from group 1's backup ("Superblock invalid, trying backup blocks"). Now the repair takes the backup, and
     * the image mounts with its files; {@code -n} reports the damage and writes nothing.
     */
    @Test
    void primarySuperblockWithoutMagicIsRepairedFromTheBackup() {
        BlockDevice dev = umounted(ModelProbe.profile("ext4-1k"));
        byte[] good = contentOf(dev, "d", "b");
        poke(dev, 1024 + 0x38, x -> {
            x[0] = 0;
            x[1] = 0;
        });
        assertTrue(Ext4Fsck.isExt4Image(dev), "found by its backup superblock");
        byte[] before = image(dev);
        FsckResult n = Ext4Fsck.check(dev, false);
        assertEquals(FsckResult.UNCORRECTED, n.exitStatus(), n.problems().toString());
        assertArrayEquals(before, image(dev), "-n writes nothing");
        FsckResult y = Ext4Fsck.check(dev, true);
        assertEquals(FsckResult.CORRECTED, y.exitStatus(), y.problems().toString());
        assertTrue(
                y.problems().contains("superblock replaced by the backup of group 1"),
                y.problems().toString());
        assertEquals(FsckResult.CLEAN, Ext4Fsck.check(dev, false).exitStatus());
        assertArrayEquals(good, contentOf(dev, "d", "b"));

        // one group only (no backup): e2fsck gives up too ("e2fsck -b 32768 <device>")
        BlockDevice single = TestBlockDevices.memory("ram", 4L << 20, 512);
        DiskSuperBlock.mkfs(single, ModelProbe.profile("ext4-1k"));
        poke(single, 1024 + 0x38, x -> {
            x[0] = 0;
            x[1] = 0;
        });
        assertEquals(false, Ext4Fsck.isExt4Image(single));
        assertEquals(
                List.of("bad magic number in super-block, and no valid backup superblock: not an ext4 image"),
                DiskFsck.check(single, "ext4", true).problems());
    }

    /**
     * A fresh xfs image (one checkpoint: only superblock copy 0 written) whose copy 0 lost its magic cannot be
     * repaired; the message said "both superblocks", though copy 1 had never been written.
     */
    @Test
    void freshImageWithCopyZeroDamagedSaysCopyOneWasNeverWritten() {
        FsProfile p = ModelProbe.profile("xfs-4k");
        BlockDevice dev = TestBlockDevices.memory("ram", DEV, 512);
        DiskSuperBlock.mkfs(dev, p);
        assertTrue(OnDiskSuper.hasMagic(MountReader.readSector(dev, 0)));
        dev.write(0, new byte[512], 0, 512, true);
        byte[] before = image(dev);
        FsckResult y = DiskFsck.check(dev, "xfs", true);
        assertEquals(FsckResult.UNCORRECTED, y.exitStatus());
        assertEquals(
                List.of("bad magic number in superblock copy 0, and copy 1 was never written: not a kmodel xfs image,"
                        + " or damaged before its second commit"),
                y.problems());
        assertArrayEquals(before, image(dev), "nothing written");
    }
}
