package org.kmodel.fs.extent.ext4;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * struct ext4_super_block (fs/ext4/ext4.h): 1024 bytes at byte 1024 of the device. Kept as the raw bytes
 * read from disk so fields kmodel does not model survive a rewrite; the accessors name the fields they
 * read. Derived geometry (groups, descriptor size, checksum seed) is computed here once.
 */
public final class Ext4Super {
    public static final int OFFSET = 1024;
    public static final int SIZE = 1024;
    public static final int MAGIC = 0xEF53;

    public static final int COMPAT_HAS_JOURNAL = 0x4;
    public static final int COMPAT_EXT_ATTR = 0x8;
    public static final int COMPAT_RESIZE_INODE = 0x10;
    public static final int COMPAT_DIR_INDEX = 0x20;
    public static final int COMPAT_ORPHAN_FILE = 0x1000;

    public static final int INCOMPAT_FILETYPE = 0x2;
    public static final int INCOMPAT_RECOVER = 0x4;
    public static final int INCOMPAT_JOURNAL_DEV = 0x8;
    public static final int INCOMPAT_META_BG = 0x10;
    public static final int INCOMPAT_EXTENTS = 0x40;
    public static final int INCOMPAT_64BIT = 0x80;
    public static final int INCOMPAT_MMP = 0x100;
    public static final int INCOMPAT_FLEX_BG = 0x200;
    public static final int INCOMPAT_EA_INODE = 0x400;
    public static final int INCOMPAT_CSUM_SEED = 0x2000;
    public static final int INCOMPAT_LARGEDIR = 0x4000;
    public static final int INCOMPAT_INLINE_DATA = 0x8000;
    public static final int INCOMPAT_ENCRYPT = 0x10000;
    public static final int INCOMPAT_CASEFOLD = 0x20000;
    /** EXT4_FEATURE_INCOMPAT_SUPP of fs/ext4/ext4.h: what the 6.x kernel mounts at all. */
    public static final int KERNEL_INCOMPAT_SUPP = INCOMPAT_FILETYPE
            | INCOMPAT_RECOVER
            | INCOMPAT_META_BG
            | INCOMPAT_EXTENTS
            | INCOMPAT_64BIT
            | INCOMPAT_FLEX_BG
            | INCOMPAT_EA_INODE
            | INCOMPAT_MMP
            | INCOMPAT_INLINE_DATA
            | INCOMPAT_ENCRYPT
            | INCOMPAT_CASEFOLD
            | INCOMPAT_CSUM_SEED
            | INCOMPAT_LARGEDIR;
    /** What kmodel reads and writes (a subset: the layout of mke2fs's defaults, plus the checksum seed). */
    public static final int MODEL_INCOMPAT_SUPP = INCOMPAT_FILETYPE
            | INCOMPAT_EXTENTS
            | INCOMPAT_64BIT
            | INCOMPAT_FLEX_BG
            | INCOMPAT_CSUM_SEED
            | INCOMPAT_LARGEDIR
            | INCOMPAT_RECOVER;

    public static final int RO_COMPAT_SPARSE_SUPER = 0x1;
    public static final int RO_COMPAT_LARGE_FILE = 0x2;
    public static final int RO_COMPAT_HUGE_FILE = 0x8;
    public static final int RO_COMPAT_GDT_CSUM = 0x10;
    public static final int RO_COMPAT_DIR_NLINK = 0x20;
    public static final int RO_COMPAT_EXTRA_ISIZE = 0x40;
    public static final int RO_COMPAT_QUOTA = 0x100;
    public static final int RO_COMPAT_BIGALLOC = 0x200;
    public static final int RO_COMPAT_METADATA_CSUM = 0x400;
    public static final int RO_COMPAT_ORPHAN_PRESENT = 0x10000;
    /** Read-only compatible features kmodel writes correctly; any other one makes the mount refuse rw. */
    public static final int MODEL_RO_COMPAT_SUPP = RO_COMPAT_SPARSE_SUPER
            | RO_COMPAT_LARGE_FILE
            | RO_COMPAT_HUGE_FILE
            | RO_COMPAT_DIR_NLINK
            | RO_COMPAT_EXTRA_ISIZE
            | RO_COMPAT_BIGALLOC
            | RO_COMPAT_METADATA_CSUM;

    private final byte[] raw;

    public Ext4Super(byte[] raw) {
        this.raw = raw;
    }

    public byte[] raw() {
        return raw;
    }

    public long inodesCount() {
        return Le.u32(raw, 0x0);
    }

    public long blocksCount() {
        return Le.u32(raw, 0x4) | (is64() ? Le.u32(raw, 0x150) << 32 : 0);
    }

    public long freeBlocks() {
        return Le.u32(raw, 0xC) | (is64() ? Le.u32(raw, 0x158) << 32 : 0);
    }

    public void freeBlocks(long v) {
        Le.put32(raw, 0xC, v);
        if (is64()) {
            Le.put32(raw, 0x158, v >>> 32);
        }
    }

    public long freeInodes() {
        return Le.u32(raw, 0x10);
    }

    public void freeInodes(long v) {
        Le.put32(raw, 0x10, v);
    }

    public long firstDataBlock() {
        return Le.u32(raw, 0x14);
    }

    public int blockSize() {
        return 1024 << Le.u32(raw, 0x18);
    }

    public int clusterSize() {
        return bigalloc() ? 1024 << Le.u32(raw, 0x1C) : blockSize();
    }

    public int blocksPerCluster() {
        return clusterSize() / blockSize();
    }

    public long blocksPerGroup() {
        return Le.u32(raw, 0x20);
    }

    public long clustersPerGroup() {
        return Le.u32(raw, 0x24);
    }

    public long inodesPerGroup() {
        return Le.u32(raw, 0x28);
    }

    public int magic() {
        return Le.u16(raw, 0x38);
    }

    public void wtime(long sec) {
        Le.put32(raw, 0x30, sec);
    }

    public void state(int s) {
        Le.put16(raw, 0x3A, s);
    }

    public long firstIno() {
        return Le.u32(raw, 0x4C) == 0 ? 11 : Le.u32(raw, 0x54);
    }

    public int inodeSize() {
        return Le.u32(raw, 0x4C) == 0 ? 128 : Le.u16(raw, 0x58);
    }

    public int compat() {
        return (int) Le.u32(raw, 0x5C);
    }

    public int incompat() {
        return (int) Le.u32(raw, 0x60);
    }

    public void incompat(int v) {
        Le.put32(raw, 0x60, v & 0xFFFFFFFFL);
    }

    public int roCompat() {
        return (int) Le.u32(raw, 0x64);
    }

    public byte[] uuid() {
        return java.util.Arrays.copyOfRange(raw, 0x68, 0x78);
    }

    public int reservedGdtBlocks() {
        return Le.u16(raw, 0xCE);
    }

    public long journalInum() {
        return Le.u32(raw, 0xE0);
    }

    public long lastOrphan() {
        return Le.u32(raw, 0xE8);
    }

    public void lastOrphan(long ino) {
        Le.put32(raw, 0xE8, ino);
    }

    public int descSize() {
        return is64() ? Math.max(32, Le.u16(raw, 0xFE)) : 32;
    }

    public int logGroupsPerFlex() {
        return Le.u8(raw, 0x174);
    }

    public boolean is64() {
        return (incompat() & INCOMPAT_64BIT) != 0;
    }

    public boolean bigalloc() {
        return (roCompat() & RO_COMPAT_BIGALLOC) != 0;
    }

    public boolean metadataCsum() {
        return (roCompat() & RO_COMPAT_METADATA_CSUM) != 0;
    }

    public boolean sparseSuper() {
        return (roCompat() & RO_COMPAT_SPARSE_SUPER) != 0;
    }

    public long groupCount() {
        long bpg = blocksPerGroup();
        return (blocksCount() - firstDataBlock() + bpg - 1) / bpg;
    }

    /** ext4 csum seed: crc32c(~0, uuid), or the stored s_checksum_seed with the csum_seed feature. */
    public int csumSeed() {
        if ((incompat() & INCOMPAT_CSUM_SEED) != 0) {
            return (int) Le.u32(raw, 0x270);
        }
        return Crc32c.update(~0, raw, 0x68, 16);
    }

    /** ext4_superblock_csum: crc32c(~0) over the structure up to s_checksum. */
    public int computeChecksum() {
        return Crc32c.update(~0, raw, 0, 0x3FC);
    }

    public boolean checksumOk() {
        return !metadataCsum() || (int) Le.u32(raw, 0x3FC) == computeChecksum();
    }

    public byte[] encode() {
        if (metadataCsum()) {
            Le.put32(raw, 0x3FC, computeChecksum() & 0xFFFFFFFFL);
        }
        return raw;
    }

    /** Whether a group holds a superblock backup (ext4_bg_has_super: 0, 1 and powers of 3, 5, 7). */
    public boolean groupHasSuper(long g) {
        if (g <= 1 || !sparseSuper()) {
            return true;
        }
        if ((g & 1) == 0) {
            return false;
        }
        return isPower(g, 3) || isPower(g, 5) || isPower(g, 7);
    }

    private static boolean isPower(long n, int base) {
        long p = base;
        while (p < n) {
            p *= base;
        }
        return p == n;
    }

    /**
     * The primary descriptor table's first block: right after the block holding the superblock (block 1
     * with 1 KiB blocks, bigalloc included, whose first data block is 0; block 0 otherwise).
     */
    public long gdtStart() {
        return (blockSize() == 1024 ? 1 : 0) + 1;
    }

    /** Where group {@code g}'s superblock (copy) lies. */
    public long superBlockOf(long g) {
        return g == 0 ? gdtStart() - 1 : firstDataBlock() + g * blocksPerGroup();
    }

    /** Blocks of the group descriptor table. */
    public long gdtBlocks() {
        return (groupCount() * descSize() + blockSize() - 1) / blockSize();
    }

    /**
     * ext4_feature_set_ok (fs/ext4/super.c) as far as kmodel goes: an incompatible feature the kernel does
     * not know refuses the mount with the kernel's message; one the kernel knows but kmodel does not model
     * is refused the same way (kmodel cannot read it correctly); unknown ro_compat features refuse a
     * read-write mount. EINVAL, as mount(2) reports it.
     */
    public void checkFeatures(String dev) {
        if (magic() != MAGIC) {
            throw new KernelException(Errno.EINVAL, "VFS: Can't find ext4 filesystem");
        }
        int unknown = incompat() & ~MODEL_INCOMPAT_SUPP;
        if (unknown != 0) {
            throw new KernelException(
                    Errno.EINVAL,
                    "EXT4-fs (" + dev + "): Couldn't mount because of unsupported " + "optional features ("
                            + Integer.toHexString(unknown) + ")");
        }
        int ro = roCompat() & ~MODEL_RO_COMPAT_SUPP;
        if (ro != 0) {
            throw new KernelException(
                    Errno.EINVAL,
                    "EXT4-fs (" + dev + "): couldn't mount RDWR because of " + "unsupported optional features ("
                            + Integer.toHexString(ro) + ")");
        }
        int bs = blockSize();
        if (bs < 1024
                || bs > 65536
                || inodeSize() < 128
                || inodesPerGroup() == 0
                || blocksPerGroup() == 0
                || (incompat() & INCOMPAT_EXTENTS) == 0) {
            throw new KernelException(Errno.EINVAL, "EXT4-fs (" + dev + "): unsupported filesystem geometry");
        }
    }
}
