package org.kmodel.fs.extent.disk;

import org.kmodel.fs.extent.ext4.Ext4Super;
import org.kmodel.fs.extent.ext4.GroupDescs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The geometry checks ext4's mount makes before it trusts a superblock (__ext4_fill_super, fs/ext4/super.c) and
 * the descriptor checks of ext4_check_descriptors (same file): a crafted value is refused with the kernel's
 * errno (EINVAL for the geometry, EUCLEAN, the kernel's EFSCORRUPTED, for a descriptor) before any count is used
 * to size an array or index the descriptor table. Found by the mount fuzzer (MountFuzzTest): a superblock whose
 * block count left zero groups made the journal lookup index an empty descriptor table.
 */
final class Ext4MountCheck {
    /** EXT4_GOOD_OLD_FIRST_INO: the first inode an ordinary file may use. */
    private static final long GOOD_OLD_FIRST_INO = 11;

    private Ext4MountCheck() {}

    /** The superblock's own geometry, on its own and against the device (in bytes). */
    static void geometry(Ext4Super sb, String dev, long deviceBytes) {
        int bs = sb.blockSize();
        int isz = sb.inodeSize();
        if (isz < 128 || isz > bs || Integer.bitCount(isz) != 1) {
            throw bad(dev, "unsupported inode size: " + isz);
        }
        if (sb.firstIno() < GOOD_OLD_FIRST_INO) {
            throw bad(dev, "invalid first ino: " + sb.firstIno());
        }
        long bpg = sb.blocksPerGroup();
        if (bpg < 8 || !sb.bigalloc() && bpg > 8L * bs) {
            throw bad(dev, "#blocks per group too big: " + bpg);
        }
        // the bitmap counts clusters: their number per group is what one block bounds, and it must match the
        // blocks per group (ext2fs_open refuses the mismatch as a corrupt superblock, lib/ext2fs/openfs.c)
        if (sb.clustersPerGroup() == 0
                || sb.clustersPerGroup() > 8L * bs
                || sb.clustersPerGroup() * sb.blocksPerCluster() != bpg) {
            throw bad(
                    dev,
                    "blocks per group (" + bpg + ") and clusters per group (" + sb.clustersPerGroup()
                            + ") inconsistent");
        }
        if (!sb.bigalloc() && sb.clusterSize() != bs) {
            throw bad(dev, "fragment/cluster size (" + sb.clusterSize() + ") != block size (" + bs + ")");
        }
        long ipg = sb.inodesPerGroup();
        if (ipg < bs / isz || ipg > 8L * bs) {
            throw bad(dev, "invalid inodes per group: " + ipg);
        }
        if (sb.firstDataBlock() >= sb.blocksCount()) {
            throw bad(
                    dev,
                    "bad geometry: first data block " + sb.firstDataBlock() + " is beyond end of filesystem ("
                            + sb.blocksCount() + ")");
        }
        if (bs == 1024 && sb.firstDataBlock() == 0 && !sb.bigalloc()) {
            throw bad(dev, "bad geometry: first data block is 0 with a 1k block and cluster size");
        }
        if (bs != 1024 && sb.firstDataBlock() != 0) {
            throw bad(dev, "bad geometry: first data block " + sb.firstDataBlock() + " with block size " + bs);
        }
        if (sb.blocksCount() > deviceBytes / bs) {
            throw bad(
                    dev,
                    "bad geometry: block count " + sb.blocksCount() + " exceeds size of device (" + deviceBytes / bs
                            + " blocks)");
        }
        long groups = sb.groupCount();
        if (groups * ipg != sb.inodesCount()) {
            throw bad(dev, "inodes count not valid: " + sb.inodesCount() + " vs " + groups * ipg);
        }
        if (sb.is64() && (sb.descSize() < 64 || sb.descSize() > 1024 || Integer.bitCount(sb.descSize()) != 1)) {
            throw bad(dev, "unsupported descriptor size " + sb.descSize());
        }
        if (sb.reservedGdtBlocks() > bs / 4) {
            throw bad(dev, "Number of reserved GDT blocks insanely large: " + sb.reservedGdtBlocks());
        }
        if ((sb.compat() & Ext4Super.COMPAT_HAS_JOURNAL) != 0
                && (sb.journalInum() < 1 || sb.journalInum() > sb.inodesCount())) {
            throw bad(dev, "no journal found (journal inode " + sb.journalInum() + ")");
        }
    }

    /**
     * ext4_check_descriptors: each group's bitmaps and inode table inside the filesystem (inside the group without
     * flex_bg) and clear of the superblock and descriptor table. EUCLEAN.
     */
    static void descriptors(Ext4Super sb, GroupDescs gd, String dev) {
        for (long g = 0; g < sb.groupCount(); g++) {
            descriptor(sb, gd, g, dev);
        }
    }

    /** One group's descriptor (see {@link #descriptors}). */
    static void descriptor(Ext4Super sb, GroupDescs gd, long g, String dev) {
        long itBlocks = (sb.inodesPerGroup() * sb.inodeSize() + sb.blockSize() - 1) / sb.blockSize();
        boolean flex = (sb.incompat() & Ext4Super.INCOMPAT_FLEX_BG) != 0;
        long gdtEnd = sb.gdtStart() + sb.gdtBlocks();
        long first = flex ? sb.firstDataBlock() : sb.firstDataBlock() + g * sb.blocksPerGroup();
        long last = flex || g == sb.groupCount() - 1 ? sb.blocksCount() - 1 : first + sb.blocksPerGroup() - 1;
        check(dev, "Block bitmap", g, gd.blockBitmap(g), 1, first, last, gdtEnd);
        check(dev, "Inode bitmap", g, gd.inodeBitmap(g), 1, first, last, gdtEnd);
        check(dev, "Inode table", g, gd.inodeTable(g), itBlocks, first, last, gdtEnd);
    }

    private static void check(
            String dev, String what, long g, long block, long len, long first, long last, long gdtEnd) {
        if (block < first || block + len - 1 > last || block + len - 1 < block) {
            throw new KernelException(
                    Errno.EUCLEAN,
                    "EXT4-fs (" + dev + "): ext4_check_descriptors: " + what + " for group " + g
                            + " not in group (block " + block + ")!");
        }
        if (block < gdtEnd) {
            throw new KernelException(
                    Errno.EUCLEAN,
                    "EXT4-fs (" + dev + "): ext4_check_descriptors: " + what + " for group " + g
                            + " overlaps superblock or descriptors (block " + block + ")");
        }
    }

    private static KernelException bad(String dev, String what) {
        return new KernelException(Errno.EINVAL, "EXT4-fs (" + dev + "): " + what);
    }
}
