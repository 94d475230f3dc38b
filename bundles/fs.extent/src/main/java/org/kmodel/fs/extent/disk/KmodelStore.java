package org.kmodel.fs.extent.disk;

import java.util.zip.CRC32C;

import org.kmodel.block.BlockDevice;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * kmodel's own format (see {@link OnDiskSuper}): the whole metadata written as one checkpoint into the idle
 * area at every commit. Used by xfs; ext4 images made by kmodel before it wrote real ext4 still mount.
 */
final class KmodelStore implements MetadataStore {
    private final DiskSuperBlock fs;
    private final BlockDevice device;
    private OnDiskSuper sb;
    long nextIno;

    KmodelStore(DiskSuperBlock fs, OnDiskSuper sb) {
        this.fs = fs;
        this.device = fs.device();
        this.sb = sb;
    }

    OnDiskSuper sb() {
        return sb;
    }

    @Override
    public long allocateIno(int mode) {
        return nextIno++;
    }

    @Override
    public long dirBlocks512(InodeData dir) {
        return fs.profile().blockSize() / 512;
    }

    @Override
    public long inodeTotal() {
        return Math.max(1024, sb.blockCount() / 4);
    }

    /**
     * Flush data, write the checkpoint to the idle area, flush, then the superblock copy for that area with
     * FUA. Freed space becomes reusable only afterwards.
     */
    @Override
    public void commit() {
        byte[] blob = MetadataCodec.encode(nextIno, fs.inodeMap(), fs.allocator().runsAfterCommit());
        int bs = sb.blockSize();
        if (blob.length > sb.areaBlocks() * bs) {
            throw new KernelException(Errno.ENOSPC, "metadata area full");
        }
        int slot = 1 - sb.slot();
        byte[] padded = java.util.Arrays.copyOf(blob, (blob.length + bs - 1) / bs * bs);
        device.flush();
        device.write(sb.areaStart(slot) * bs, padded, 0, padded.length, false);
        device.flush();
        CRC32C crc = new CRC32C();
        crc.update(blob);
        OnDiskSuper next = sb.next(sb.seq() + 1, blob.length, (int) crc.getValue(), slot);
        byte[] sector = java.util.Arrays.copyOf(next.encode(), Math.max(OnDiskSuper.LENGTH, device.logicalBlockSize()));
        device.write((long) slot * bs, sector, 0, sector.length, true);
        sb = next;
        fs.allocator().commit();
    }
}
