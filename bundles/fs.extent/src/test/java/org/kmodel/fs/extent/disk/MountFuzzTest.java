package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.FsckResult;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.fs.extent.ext4.Ext4Super;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.spi.Inode;

/**
 * Issue 12: Jazzer on image mounting. Small valid images (real ext4 with 1 KiB blocks, unmounted and as a crash
 * leaves it with the journal to replay; kmodel-format xfs 512) are damaged in a structure-aware way: raw bytes
 * anywhere, superblock fields with the checksum recomputed (so the field checks are reached; ext4's s_checksum or
 * kmodel's), journal bytes of the crashed ext4 image, and for xfs checkpoint bytes and delta-log record payload
 * bytes with valid checksums (so the decoders, DeltaLogReplay's bounded counts and the mount's consistency checks
 * are reached). Invariants: mount either works or throws KernelException (never another exception, never an
 * Error such as OutOfMemoryError); a mounted image can be walked and read; fsck -y throws nothing but
 * KernelException, and an image it repaired or called clean mounts. Each execution works on copy-on-write views
 * of the prebuilt images: no image copy, host I/O, thread or logging per execution. {@code mvn test} replays the
 * inputs in src/test/resources/.../MountFuzzTestInputs (findings of the long runs included); {@code JAZZER_FUZZ=1}
 * fuzzes (docs/data-safety.md has the command and the figures).
 */
class MountFuzzTest {
    /**
     * xfs: 256 KiB; real ext4: 2 MiB, the smallest size at which mke2fs still makes a journal (2,048 blocks of
     * 1 KiB, a journal of 1,024: ext2fs_default_journal_size), so journal replay stays in the target.
     */
    private static final long DEV = 256 << 10;

    private static final long DEV_EXT4 = 2L << 20;
    /**
     * The two clean images, built once and never written again: every execution damages and mounts a
     * copy-on-write view of one of them ({@link Ext4Fsck.Overlay}), so an execution copies only the sectors it
     * changes (no per-execution image copy, host I/O, thread or logging): about 0.3 ms each on one core.
     */
    private static final BlockDevice[] BASE = {
        base(FsProfile.ext4(1024, 1024), true), base(FsProfile.xfs(512), true), base(FsProfile.ext4(1024, 1024), false)
    };

    private static final String[] TYPE = {"ext4", "xfs", "ext4"};

    /**
     * mkfs, a directory, two files and a symlink, committed; {@code unmounted}: then unmounted as umount does
     * (journal checkpointed, needs_recovery cleared), else left as after a crash (ext4: the journal holds the
     * last transaction and every mount replays it).
     */
    private static BlockDevice base(FsProfile p, boolean unmounted) {
        BlockDevice dev = TestBlockDevices.memory("fuzz", p.type().equals("ext4") ? DEV_EXT4 : DEV, 512);
        DiskSuperBlock.mkfs(dev, p);
        BlockDevice work = view(dev);
        DiskSuperBlock sb = DiskSuperBlock.mount(work, p.type(), KernelRelease.V6_18, 0, "");
        Inode d = sb.root().create("dir", 0040755, 0);
        Inode f = d.create("file", 0100644, 0);
        ModelProbe.writePattern(f, 0, 12 << 10);
        sb.root().symlink("link", "dir/file");
        Inode g = sb.root().create("g", 0100644, 0);
        ModelProbe.writePattern(g, 8192, 16384);
        sb.commit();
        if (unmounted) {
            sb.kill(); // closes the view only
        }
        BlockDevice out = TestBlockDevices.memory("fuzz", dev.size(), 512);
        byte[] buf = new byte[64 << 10];
        for (long at = 0; at < dev.size(); at += buf.length) {
            work.read(at, buf, 0, buf.length);
            out.write(at, buf, 0, buf.length, false);
        }
        return out;
    }

    /** A writable view of a clean image: writes stay in the view. */
    static BlockDevice view(BlockDevice dev) {
        return new Ext4Fsck.Overlay(dev);
    }

    /** {@code len} bytes at any {@code offset} (the device itself takes whole sectors only). */
    static byte[] read(BlockDevice dev, long offset, int len) {
        long from = offset & ~511L;
        long to = (offset + len + 511) & ~511L;
        byte[] b = new byte[(int) (to - from)];
        dev.read(from, b, 0, b.length);
        return java.util.Arrays.copyOfRange(b, (int) (offset - from), (int) (offset - from) + len);
    }

    private static void poke(BlockDevice dev, long offset, byte value) {
        dev.write(offset, new byte[] {value}, 0, 1, false);
    }

    @FuzzTest(maxDuration = "100m", maxExecutions = 10_500_000)
    void mountCraftedImage(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 1);
        BlockDevice img = view(BASE[which]);
        int size = (int) img.size();
        int bs = which == 0 ? 1024 : 512;
        switch (data.consumeInt(0, 3)) {
            case 0 -> { // raw bytes anywhere in the metadata part of the image
                int n = data.consumeInt(1, 16);
                for (int i = 0; i < n; i++) {
                    poke(img, data.consumeInt(0, 200 * bs), data.consumeByte());
                }
            }
            case 1 -> {
                if (which == 0) { // a field of the real ext4 superblock, s_checksum recomputed
                    byte[] raw = read(img, Ext4Super.OFFSET, Ext4Super.SIZE);
                    ByteBuffer.wrap(raw)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .putInt(4 * data.consumeInt(0, 0x3FC / 4 - 1), data.consumeInt());
                    img.write(Ext4Super.OFFSET, new Ext4Super(raw).encode(), 0, Ext4Super.SIZE, false);
                } else { // a field of kmodel's superblock, checksum recomputed
                    int copy = data.consumeInt(0, 1) * bs;
                    byte[] raw = read(img, copy, OnDiskSuper.LENGTH);
                    ByteBuffer.wrap(raw).putInt(16 + 4 * data.consumeInt(0, 17), data.consumeInt());
                    CRC32C crc = new CRC32C();
                    crc.update(raw, 0, OnDiskSuper.LENGTH - 4);
                    ByteBuffer.wrap(raw).putInt(OnDiskSuper.LENGTH - 4, (int) crc.getValue());
                    img.write(copy, raw, 0, raw.length, false);
                }
            }
            case 2 -> { // checkpoint bytes, its checksum in the superblock recomputed (kmodel's format: xfs)
                if (which == 0) {
                    poke(img, data.consumeInt(200 * bs, size - 1), data.consumeByte()); // ext4: a data/journal byte
                    break;
                }
                MountReader.Found f = MountReader.newest(img, TYPE[which]);
                byte[] blob = f.blob().clone();
                int n = data.consumeInt(1, 8);
                for (int i = 0; i < n && blob.length > 0; i++) {
                    blob[data.consumeInt(0, blob.length - 1)] = data.consumeByte();
                }
                DeltaLogStore.writeCheckpoint(img, f.sb(), blob);
            }
            default -> { // xfs: bytes of the first delta-log record's payload, its checksum recomputed
                if (which == 0) { // ext4 after a crash: the journal replays at mount; damage it or the superblock
                    img = view(BASE[2]);
                    int n = data.consumeInt(1, 4);
                    for (int i = 0; i < n; i++) {
                        if (data.consumeBoolean()) {
                            poke(img, data.consumeInt(200 * bs, size - 1), data.consumeByte());
                        } else {
                            byte[] raw = read(img, Ext4Super.OFFSET, Ext4Super.SIZE);
                            ByteBuffer.wrap(raw)
                                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                    .putInt(4 * data.consumeInt(0, 0x3FC / 4 - 1), data.consumeInt());
                            img.write(Ext4Super.OFFSET, new Ext4Super(raw).encode(), 0, Ext4Super.SIZE, false);
                        }
                    }
                    break;
                }
                MountReader.Found f = MountReader.newest(img, TYPE[which]);
                int at = (int) (DeltaLogStore.logStart(f.sb()) * bs);
                if (at < 0 || at + DeltaLogStore.HEADER > size) {
                    break;
                }
                ByteBuffer h = ByteBuffer.wrap(read(img, at, DeltaLogStore.HEADER));
                int len = h.getInt(28);
                if (h.getInt(0) != DeltaLogStore.RECORD_MAGIC || len <= 0 || at + DeltaLogStore.HEADER + len > size) {
                    break;
                }
                byte[] rec = read(img, at, DeltaLogStore.HEADER + len);
                ByteBuffer b = ByteBuffer.wrap(rec);
                int n = data.consumeInt(1, 8);
                for (int i = 0; i < n; i++) {
                    rec[DeltaLogStore.HEADER + data.consumeInt(0, len - 1)] = data.consumeByte();
                }
                b.putInt(32, DeltaLogStore.crc(rec, DeltaLogStore.HEADER, len));
                b.putInt(36, DeltaLogStore.crc(rec, 0, DeltaLogStore.HEADER - 4)); // the header covers both
                img.write(at, rec, 0, rec.length, false);
            }
        }
        exercise(img, TYPE[which]);
    }

    /** The invariants: only KernelException; what mounts can be walked; fsck repairs to a mountable image. */
    static void exercise(BlockDevice img, String type) {
        boolean mounted = false;
        try {
            DiskSuperBlock sb = DiskSuperBlock.mount(view(img), type, KernelRelease.V6_18, 0, "");
            walk(sb.root(), 0);
            mounted = true;
        } catch (KernelException expected) {
            // refused or failed with an errno: fine
        }
        BlockDevice dev = view(img);
        FsckResult r;
        try {
            r = type.equals("ext4") && Ext4Store.isExt4(dev)
                    ? Ext4Fsck.check(dev, true)
                    : DiskFsck.check(dev, type, true);
        } catch (KernelException expected) {
            return;
        }
        if (r.exitStatus() == FsckResult.CLEAN && mounted) {
            return; // nothing changed: the mount above already walked this image
        }
        if (r.exitStatus() != FsckResult.UNCORRECTED) {
            walk(DiskSuperBlock.mount(dev, type, KernelRelease.V6_18, 0, "").root(), 0);
        }
    }

    private static void walk(Inode dir, int depth) {
        if (depth > 8) {
            return;
        }
        for (DirEntry e : dir.readdir()) {
            try {
                Inode c = dir.lookup(e.name());
                if (c == null) {
                    continue;
                }
                int mode = c.getattr().mode() & 0170000;
                if (mode == 0040000) {
                    walk(c, depth + 1);
                } else if (mode == 0120000) {
                    c.readlink();
                } else if (mode == 0100000) {
                    byte[] page = new byte[4096];
                    long pages = Math.min(64, (c.getattr().size() + 4095) / 4096);
                    for (long i = 0; i < pages; i++) {
                        c.readPage(i, page);
                    }
                }
            } catch (KernelException expected) {
                // a damaged inode may refuse a read with an errno
            }
        }
    }

    /**
     * The two crafted images of the issue: a block count near 2^31 blocks of 1 KiB ("mount: -2147483648") and a
     * huge extent count ("Requested array size exceeds VM limit"): both are EUCLEAN/EINVAL now.
     */
    @Test
    void issue12CraftedSuperblockAndCheckpointAreErrnos() {
        // ext4 is the real format: s_blocks_count far beyond the device, s_checksum recomputed
        BlockDevice img = view(BASE[0]);
        byte[] raw = read(img, Ext4Super.OFFSET, Ext4Super.SIZE);
        ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, Integer.MIN_VALUE);
        img.write(Ext4Super.OFFSET, new Ext4Super(raw).encode(), 0, Ext4Super.SIZE, false);
        KernelException e = assertThrows(
                KernelException.class, () -> DiskSuperBlock.mount(img, "ext4", KernelRelease.V6_18, 0, ""));
        // ext4_fill_super's "bad geometry: block count ... exceeds size of device" is EINVAL
        assertEquals(Errno.EINVAL, e.errno(), e.getMessage());

        BlockDevice dev = view(BASE[1]);
        MountReader.Found f = MountReader.newest(dev, "xfs");
        byte[] blob = f.blob().clone();
        ByteBuffer.wrap(blob).putInt(12, Integer.MAX_VALUE); // inode count
        DeltaLogStore.writeCheckpoint(dev, f.sb(), blob);
        KernelException c =
                assertThrows(KernelException.class, () -> DiskSuperBlock.mount(dev, "xfs", KernelRelease.V6_18, 0, ""));
        assertEquals(Errno.EUCLEAN, c.errno());
    }
}
