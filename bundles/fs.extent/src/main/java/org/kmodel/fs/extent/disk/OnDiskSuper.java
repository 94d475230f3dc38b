package org.kmodel.fs.extent.disk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * kmodel's own superblock (the role of struct ext4_super_block / struct xfs_dsb). Two copies live in
 * blocks 0 and 1; copy {@code i} describes the metadata checkpoint in area {@code i}. A commit writes the new
 * checkpoint into the other area, flushes, then writes that area's superblock with FUA: a single-sector
 * write, so after any crash one copy is the newest complete state (the double-buffered checkpoint that
 * plays the journal's part here). Both carry CRC32C checksums, as ext4 metadata_csum and xfs v5 do.
 */
public record OnDiskSuper(
        String fsType,
        int blockSize,
        int clusterSize,
        long blockCount,
        long areaBlocks,
        long seq,
        long blobLen,
        int blobCrc,
        int slot,
        long uuidHi,
        long uuidLo) {

    static final byte[] MAGIC = "KMODELFS".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int LENGTH = 512;

    /** First block of checkpoint area {@code i}. */
    public long areaStart(int i) {
        return 2 + i * areaBlocks;
    }

    /** First data block, aligned to the cluster. */
    public long dataStart() {
        long cpc = clusterSize / blockSize;
        return (2 + 2 * areaBlocks + cpc - 1) / cpc * cpc;
    }

    public OnDiskSuper next(long newSeq, long newLen, int newCrc, int newSlot) {
        return new OnDiskSuper(
                fsType,
                blockSize,
                clusterSize,
                blockCount,
                areaBlocks,
                newSeq,
                newLen,
                newCrc,
                newSlot,
                uuidHi,
                uuidLo);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(MAGIC);
        byte[] t = new byte[8];
        byte[] name = fsType.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, t, 0, Math.min(8, name.length));
        b.put(t).putInt(VERSION).putInt(blockSize).putInt(clusterSize).putInt(0);
        b.putLong(blockCount)
                .putLong(areaBlocks)
                .putLong(seq)
                .putLong(blobLen)
                .putInt(blobCrc)
                .putInt(slot);
        b.putLong(uuidHi).putLong(uuidLo);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, LENGTH - 4);
        b.putInt(LENGTH - 4, (int) crc.getValue());
        return b.array();
    }

    /** True if the sector starts with our magic (whatever its state). */
    public static boolean hasMagic(byte[] sector) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (sector[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Decodes a copy; EUCLEAN (EFSCORRUPTED) when the checksum or a field is wrong. */
    public static OnDiskSuper decode(byte[] sector) {
        if (!hasMagic(sector)) {
            throw new KernelException(Errno.EINVAL, "no kmodel superblock");
        }
        ByteBuffer b = ByteBuffer.wrap(sector, 0, LENGTH);
        CRC32C crc = new CRC32C();
        crc.update(sector, 0, LENGTH - 4);
        if ((int) crc.getValue() != b.getInt(LENGTH - 4)) {
            throw new KernelException(Errno.EUCLEAN, "superblock checksum");
        }
        b.position(8);
        byte[] t = new byte[8];
        b.get(t);
        String type = new String(t, StandardCharsets.US_ASCII).replace("\0", "");
        int version = b.getInt();
        int bs = b.getInt();
        int cs = b.getInt();
        b.getInt();
        OnDiskSuper s = new OnDiskSuper(
                type,
                bs,
                cs,
                b.getLong(),
                b.getLong(),
                b.getLong(),
                b.getLong(),
                b.getInt(),
                b.getInt(),
                b.getLong(),
                b.getLong());
        // Every field is bounded before anything is computed from it: a crafted superblock must give EUCLEAN,
        // never an overflowed size or an allocation the JVM cannot make (xfs_validate_sb_common's role).
        if (version != VERSION
                || bs < 512
                || bs > 65536
                || Integer.bitCount(bs) != 1
                || cs < bs
                || cs % bs != 0
                || cs / bs > 65536
                || s.blockCount < 1
                || s.blockCount > Long.MAX_VALUE / 65536
                || s.areaBlocks < 1
                || s.areaBlocks > s.blockCount / 2
                || s.blockCount <= s.dataStart()
                || s.slot < 0
                || s.slot > 1
                || s.blobLen < 0
                || s.blobLen > s.areaBlocks * bs
                || s.blobLen > Integer.MAX_VALUE - 65536) {
            throw new KernelException(Errno.EUCLEAN, "superblock fields");
        }
        return s;
    }
}
