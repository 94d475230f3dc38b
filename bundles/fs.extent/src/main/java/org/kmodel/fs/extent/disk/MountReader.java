package org.kmodel.fs.extent.disk;

import java.util.zip.CRC32C;
import org.kmodel.block.BlockDevice;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * Finding the filesystem on a device at mount (ext4_fill_super's superblock and journal checks, xfs_readsb +
 * log recovery): read both superblock copies, keep the newest whose checkpoint is intact.
 */
final class MountReader {
    /** The newest intact superblock copy and its checkpoint. */
    record Found(OnDiskSuper sb, byte[] blob) {}

    private MountReader() {}

    static Found newest(BlockDevice device, String type) {
        byte[][] copies = new byte[2][];
        OnDiskSuper best = null;
        byte[] bestBlob = null;
        KernelException why = null;
        for (int i = 0; i < 2; i++) {
            copies[i] = readSector(device, i);
        }
        if (!OnDiskSuper.hasMagic(copies[0]) && !OnDiskSuper.hasMagic(copies[1])) {
            throw new KernelException(Errno.EINVAL, "wrong fs type, bad option, bad superblock on " + device.name());
        }
        for (int i = 0; i < 2; i++) {
            if (!OnDiskSuper.hasMagic(copies[i])) {
                continue;
            }
            try {
                OnDiskSuper s = OnDiskSuper.decode(copies[i]);
                if (!s.fsType().equals(type)) {
                    throw new KernelException(Errno.EINVAL, "wrong fs type: " + device.name() + " holds " + s.fsType());
                }
                if (s.blockCount() > device.size() / s.blockSize()) {
                    throw new KernelException(
                            Errno.EINVAL, "bad geometry: block count " + s.blockCount() + " exceeds size of device");
                }
                byte[] blob = readBlob(device, s);
                if (blob != null && (best == null || s.seq() > best.seq())) {
                    best = s;
                    bestBlob = blob;
                }
            } catch (KernelException e) {
                if (e.errno() == Errno.EINVAL) {
                    throw e;
                }
                why = e;
            }
        }
        if (best == null) {
            throw why != null ? why : new KernelException(Errno.EUCLEAN, "no intact checkpoint on " + device.name());
        }
        return new Found(best, bestBlob);
    }

    /** Either copy of kmodel's own superblock has its magic number (the image is in kmodel's format). */
    static boolean hasKmodelMagic(BlockDevice device) {
        return OnDiskSuper.hasMagic(readSector(device, 0)) || OnDiskSuper.hasMagic(readSector(device, 1));
    }

    static byte[] readSector(BlockDevice device, int i) {
        byte[] b = new byte[OnDiskSuper.LENGTH];
        long bs = probeBlockSize(device, i);
        device.read(i * bs, b, 0, b.length);
        return b;
    }

    /** Copy 1 sits at block 1, whose size we learn from copy 0 (or try the usual sizes if copy 0 is gone). */
    static long probeBlockSize(BlockDevice device, int i) {
        if (i == 0) {
            return 0;
        }
        byte[] b = new byte[OnDiskSuper.LENGTH];
        device.read(0, b, 0, b.length);
        try {
            return OnDiskSuper.decode(b).blockSize();
        } catch (KernelException e) {
            for (int bs = 512; bs <= 65536; bs <<= 1) {
                device.read(bs, b, 0, b.length);
                if (OnDiskSuper.hasMagic(b)) {
                    return bs;
                }
            }
            return 512;
        }
    }

    static byte[] readBlob(BlockDevice device, OnDiskSuper s) {
        int bs = s.blockSize();
        int padded = (int) ((s.blobLen() + bs - 1) / bs * bs);
        byte[] blob = new byte[padded];
        device.read(s.areaStart(s.slot()) * bs, blob, 0, padded);
        CRC32C crc = new CRC32C();
        crc.update(blob, 0, (int) s.blobLen());
        return (int) crc.getValue() == s.blobCrc() ? java.util.Arrays.copyOf(blob, (int) s.blobLen()) : null;
    }
}
