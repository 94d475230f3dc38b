package org.kmodel.fs.extent.ext4;

import java.util.BitSet;
import java.util.Random;
import org.kmodel.block.BlockDevice;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * mke2fs (e2fsprogs misc/mke2fs.c) for the features Debian's mke2fs 1.47 turns on by default
 * (/etc/mke2fs.conf there enables no orphan_file): has_journal ext_attr resize_inode dir_index
 * filetype extent 64bit flex_bg sparse_super large_file huge_file dir_nlink extra_isize metadata_csum, and
 * bigalloc on request. Writes the superblock and its sparse backups, the descriptor table and its backups,
 * bitmaps, the reserved part of the inode tables, and the journal inode with an empty jbd2 journal (v2 superblock, csum v3).
 * The root directory and lost+found are made by the filesystem itself on first commit, as any directory.
 */
public final class Mke2fs {
    static final int INODE_SIZE = 256;
    static final int FIRST_INO = 11;
    static final int LOG_FLEX = 4;

    private Mke2fs() {}

    /** ext2fs_default_journal_size (lib/ext2fs/mkjournal.c), in filesystem blocks; 0: no journal. */
    static int journalBlocks(long blocks) {
        if (blocks < 2048) {
            return 0;
        }
        if (blocks < 32768) {
            return 1024;
        }
        if (blocks < 256 * 1024) {
            return 4096;
        }
        if (blocks < 512 * 1024) {
            return 8192;
        }
        if (blocks < 4096 * 1024) {
            return 16384;
        }
        if (blocks < 8192 * 1024) {
            return 32768;
        }
        if (blocks < 16384 * 1024) {
            return 65536;
        }
        return blocks < 32768 * 1024 ? 131072 : 262144;
    }

    /** Formats {@code dev}; returns the superblock written. */
    public static Ext4Super format(BlockDevice dev, int bs, int cs) {
        int cpc = cs / bs;
        long blocks = dev.size() / bs;
        long first = bs == 1024 && cpc == 1 ? 1 : 0;
        long cpg = 8L * bs;
        long bpg = cpg * cpc;
        int perBlock = bs / INODE_SIZE;
        // mke2fs's PRS: the usage type by size ("floppy" below 3 MiB, "small" below 512 MiB, as
        // /etc/mke2fs.conf defines them) gives the inode ratio, never below the cluster size; the inode count
        // comes from the size asked for, before ext2fs_initialize may drop a short last group.
        long askedBytes = blocks * bs;
        long ratio = Math.max(cs, askedBytes < 3L << 20 ? 8192 : askedBytes < 512L << 20 ? 4096 : 16384);
        long inodesWanted = askedBytes / ratio;
        long groups;
        long ipg;
        long itableBlocks;
        int rsvGdt;
        while (true) { // ext2fs_initialize (lib/ext2fs/initialize.c), its "retry" loop
            groups = (blocks - first + bpg - 1) / bpg;
            if (groups == 0) {
                throw new KernelException(Errno.EINVAL, "mkfs.ext4: Device size reported to be zero or too small");
            }
            ipg = Math.min(8L * bs, (inodesWanted + groups - 1) / groups);
            // fill the inode table blocks, then round down to a multiple of 8 (the bitmap splicing rule)
            itableBlocks = (ipg * INODE_SIZE + bs - 1) / bs;
            ipg = Math.max(8, itableBlocks * perBlock) & ~7L;
            itableBlocks = (ipg * INODE_SIZE + bs - 1) / bs;
            rsvGdt = reservedGdtBlocks(blocks, first, bpg, bs, groups);
            long descBlocks = (groups * 64 + bs - 1) / bs;
            // the last group must hold its bitmaps, inode table and any backup, with 50 blocks to spare
            long overhead = 2 + itableBlocks + (hasSuper(groups - 1) ? 1 + descBlocks + rsvGdt : 0);
            long rem = (blocks - first) % bpg;
            if (groups == 1 && rem != 0 && rem < overhead) {
                throw new KernelException(Errno.EINVAL, "mkfs.ext4: Device size reported to be zero or too small");
            }
            if (rem != 0 && rem < overhead + 50) {
                blocks -= rem;
                continue;
            }
            break;
        }
        if (blocks < 64L * cpc + itableBlocks) {
            throw new KernelException(Errno.EINVAL, "mkfs.ext4: Device size reported to be zero or too small");
        }
        byte[] raw = new byte[Ext4Super.SIZE];
        Random rnd = new Random();
        long now = System.currentTimeMillis() / 1000;
        Le.put32(raw, 0x0, ipg * groups);
        Le.put32(raw, 0x4, blocks);
        Le.put32(raw, 0x150, blocks >>> 32);
        long reserved = blocks / 20;
        Le.put32(raw, 0x8, reserved);
        Le.put32(raw, 0x154, reserved >>> 32);
        Le.put32(raw, 0x14, first);
        Le.put32(raw, 0x18, Integer.numberOfTrailingZeros(bs) - 10);
        Le.put32(raw, 0x1C, Integer.numberOfTrailingZeros(cs) - 10);
        Le.put32(raw, 0x20, bpg);
        Le.put32(raw, 0x24, cpg);
        Le.put32(raw, 0x28, ipg);
        Le.put32(raw, 0x30, now);
        Le.put16(raw, 0x36, 0xFFFF);
        Le.put16(raw, 0x38, Ext4Super.MAGIC);
        Le.put16(raw, 0x3A, 1);
        Le.put16(raw, 0x3C, 1);
        Le.put32(raw, 0x40, now);
        Le.put32(raw, 0x4C, 1);
        Le.put32(raw, 0x54, FIRST_INO);
        Le.put16(raw, 0x58, INODE_SIZE);
        Le.put32(
                raw,
                0x5C,
                Ext4Super.COMPAT_HAS_JOURNAL
                        | Ext4Super.COMPAT_EXT_ATTR
                        | Ext4Super.COMPAT_DIR_INDEX
                        | (rsvGdt > 0 ? Ext4Super.COMPAT_RESIZE_INODE : 0));
        Le.put16(raw, 0xCE, rsvGdt);
        Le.put32(
                raw,
                0x60,
                Ext4Super.INCOMPAT_FILETYPE
                        | Ext4Super.INCOMPAT_EXTENTS
                        | Ext4Super.INCOMPAT_64BIT
                        | Ext4Super.INCOMPAT_FLEX_BG);
        Le.put32(
                raw,
                0x64,
                Ext4Super.RO_COMPAT_SPARSE_SUPER
                        | Ext4Super.RO_COMPAT_LARGE_FILE
                        | Ext4Super.RO_COMPAT_HUGE_FILE
                        | Ext4Super.RO_COMPAT_DIR_NLINK
                        | Ext4Super.RO_COMPAT_EXTRA_ISIZE
                        | Ext4Super.RO_COMPAT_METADATA_CSUM
                        | (cpc > 1 ? Ext4Super.RO_COMPAT_BIGALLOC : 0));
        for (int k = 0; k < 16; k++) {
            raw[0x68 + k] = (byte) rnd.nextInt();
            raw[0xEC + k] = (byte) rnd.nextInt();
        }
        raw[0x68 + 6] = (byte) (raw[0x68 + 6] & 0x0F | 0x40); // a version 4 UUID
        raw[0x68 + 8] = (byte) (raw[0x68 + 8] & 0x3F | 0x80);
        Le.put32(raw, 0xE0, 8);
        Le.put8(raw, 0xFC, 1); // half_md4
        Le.put16(raw, 0xFE, 64);
        Le.put32(raw, 0x100, 0x0C); // user_xattr acl
        Le.put32(raw, 0x108, now);
        Le.put16(raw, 0x15C, 32);
        Le.put16(raw, 0x15E, 32);
        Le.put32(raw, 0x160, 1); // signed_directory_hash
        Le.put8(raw, 0x174, LOG_FLEX);
        Le.put8(raw, 0x175, 1); // crc32c
        Ext4Super sb = new Ext4Super(raw);
        Layout l = place(sb, groups, first, bpg, itableBlocks, blocks, cpc, journalBlocks(blocks));
        write(dev, sb, l, ipg, itableBlocks, now);
        return sb;
    }

    private static boolean hasSuper(long g) {
        return g <= 1 || isPower(g, 3) || isPower(g, 5) || isPower(g, 7);
    }

    private static boolean isPower(long g, long base) {
        long p = base;
        while (p < g) {
            p *= base;
        }
        return p == g;
    }

    /**
     * calc_reserved_gdt_blocks (lib/ext2fs/initialize.c): enough descriptor blocks for the filesystem to grow
     * to 1024 times its size or 2^32 blocks, whichever is less, minus those already used, capped at one
     * indirect block's worth of addresses (the resize inode reaches them through its double-indirect block).
     */
    static int reservedGdtBlocks(long blocks, long first, long bpg, int bs, long groups) {
        long maxBlocks = 0xFFFFFFFFL;
        if (blocks < maxBlocks / 1024) {
            maxBlocks = blocks * 1024;
        }
        long rsvGroups = (maxBlocks - first + bpg - 1) / bpg;
        long descPerBlock = bs / 64;
        long descBlocks = (groups + descPerBlock - 1) / descPerBlock;
        long rsv = (rsvGroups + descPerBlock - 1) / descPerBlock - descBlocks;
        return (int) Math.max(0, Math.min(rsv, bs / 4));
    }

    /** Where everything goes: a bitmap of used blocks and each group's bitmaps and inode table. */
    record Layout(
            BitSet used,
            long[] bbitmap,
            long[] ibitmap,
            long[] itable,
            long journalStart,
            int journalLen,
            long resizeDind) {}

    private static Layout place(
            Ext4Super sb, long groups, long first, long bpg, long itb, long blocks, int cpc, int jblocks) {
        BitSet used = new BitSet((int) blocks);
        used.set(0, (int) sb.gdtStart()); // the boot block (1k) and the primary superblock
        long gdt = sb.gdtBlocks();
        int rsv = sb.reservedGdtBlocks();
        for (long g = 0; g < groups; g++) {
            if (sb.groupHasSuper(g)) {
                long s = sb.superBlockOf(g);
                used.set((int) s, (int) (s + 1 + gdt + rsv)); // ext2fs_reserve_super_and_bgd
                if (rsv > 0) {
                    long r = reservedGdtBlock(sb, g, 0);
                    used.set((int) r, (int) (r + rsv));
                }
            }
        }
        long[] bb = new long[(int) groups];
        long[] ib = new long[(int) groups];
        long[] it = new long[(int) groups];
        int flex = 1 << LOG_FLEX;
        for (long f = 0; f < groups; f += flex) {
            long last = Math.min(groups, f + flex);
            int n = (int) (last - f);
            // ext2fs_allocate_group_table: the block bitmaps of a flex group, then its inode bitmaps
            // table_offset blocks further, then its inode tables as far again; table_offset is the flex
            // size, except for the last flex group, whose tables stay contiguous (its number of groups).
            // Where that last flex group is one group, mke2fs spaces them by the flex size again, leaving
            // two gaps of 15 blocks that mballoc's preallocation never draws small files into; kmodel's
            // first-fit allocator would, fragmenting files the kernel keeps whole, so kmodel packs them.
            long offset = last == groups ? n : flex;
            long bbStart = take(used, first + f * bpg, n, blocks, 1);
            long ibStart = take(used, bbStart + offset, n, blocks, 1);
            long itStart = take(used, ibStart + offset, n * itb, blocks, 1);
            for (int k = 0; k < n; k++) {
                bb[(int) f + k] = bbStart + k;
                ib[(int) f + k] = ibStart + k;
                it[(int) f + k] = itStart + k * itb;
            }
        }
        // ext2fs_create_resize_inode (lib/ext2fs/res_gdt.c): the double-indirect block goes at the first free
        // block from just past the primary's reserved descriptors plus one inode table
        long dind = rsv == 0 ? 0 : take(used, sb.gdtStart() - 1 + gdt + rsv + 2 + itb, 1, blocks, cpc);
        long js = jblocks == 0 ? 0 : take(used, first + (groups / 2) * bpg, jblocks, blocks, cpc);
        // bigalloc: a cluster holding any metadata block is wholly used
        if (cpc > 1) {
            for (int c = 0; c < (blocks + cpc - 1) / cpc; c++) {
                if (used.nextSetBit(c * cpc) >= 0 && used.nextSetBit(c * cpc) < (c + 1) * cpc) {
                    used.set(c * cpc, (c + 1) * cpc);
                }
            }
        }
        return new Layout(used, bb, ib, it, js, jblocks, dind);
    }

    /** First-fit run of {@code n} free blocks at or after {@code from}, aligned to {@code align}. */
    private static long take(BitSet used, long from, long n, long blocks, int align) {
        long p = (from + align - 1) / align * align;
        while (p + n <= blocks) {
            int busy = used.nextSetBit((int) p);
            if (busy < 0 || busy >= p + n) {
                used.set((int) p, (int) (p + n));
                return p;
            }
            p = (busy + 1 + align - 1) / align * align;
        }
        throw new KernelException(Errno.ENOSPC, "mkfs.ext4: could not allocate metadata blocks");
    }

    private static void write(BlockDevice dev, Ext4Super sb, Layout l, long ipg, long itb, long now) {
        int bs = sb.blockSize();
        int cpc = sb.blocksPerCluster();
        long groups = sb.groupCount();
        long first = sb.firstDataBlock();
        long bpg = sb.blocksPerGroup();
        long cpg = sb.clustersPerGroup();
        int seed = sb.csumSeed();
        GroupDescs gd = new GroupDescs(sb, new byte[(int) (sb.gdtBlocks() * bs)]);
        long freeTotal = 0;
        for (long g = 0; g < groups; g++) {
            long gs = first + g * bpg;
            long ge = Math.min(sb.blocksCount(), gs + bpg);
            byte[] bbm = new byte[bs];
            long freeC = 0;
            for (long c = 0; c < cpg; c++) {
                long b = gs + c * cpc;
                if (b >= ge || l.used().get((int) b)) {
                    bbm[(int) (c >>> 3)] |= (byte) (1 << (c & 7));
                } else {
                    freeC++;
                }
            }
            for (long c = cpg; c < 8L * bs; c++) {
                bbm[(int) (c >>> 3)] |= (byte) (1 << (c & 7)); // padding past the group's clusters
            }
            byte[] ibm = new byte[bs];
            long usedInodes = g == 0 ? FIRST_INO - 1 : 0;
            for (long i = 0; i < usedInodes; i++) {
                ibm[(int) (i >>> 3)] |= (byte) (1 << (i & 7));
            }
            for (long i = ipg; i < 8L * bs; i++) {
                ibm[(int) (i >>> 3)] |= (byte) (1 << (i & 7));
            }
            gd.locations(g, l.bbitmap()[(int) g], l.ibitmap()[(int) g], l.itable()[(int) g]);
            gd.freeClusters(g, freeC);
            gd.freeInodes(g, ipg - usedInodes);
            gd.usedDirs(g, 0);
            gd.itableUnused(g, ipg - usedInodes);
            gd.flags(g, 0);
            gd.bitmapChecksums(
                    g, Crc32c.update(seed, bbm, 0, (int) (cpg / 8)), Crc32c.update(seed, ibm, 0, (int) (ipg / 8)));
            gd.seal(g);
            freeTotal += freeC;
            dev.write(l.bbitmap()[(int) g] * bs, bbm, 0, bs, false);
            dev.write(l.ibitmap()[(int) g] * bs, ibm, 0, bs, false);
        }
        // the inode table blocks holding the reserved inodes and the first ones handed out must read as zero
        byte[] zero = new byte[bs];
        long zeroBlocks = Math.min(itb, (FIRST_INO + 64L) * INODE_SIZE / bs + 1);
        for (long k = 0; k < zeroBlocks; k++) {
            dev.write((l.itable()[0] + k) * bs, zero, 0, bs, false);
        }
        sb.freeBlocks(freeTotal * cpc);
        sb.freeInodes(ipg * groups - (FIRST_INO - 1));
        if (l.journalLen() > 0) {
            writeJournal(dev, sb, l, now);
        }
        if (l.resizeDind() != 0) {
            writeResizeInode(dev, sb, l, now);
        }
        // backups first, the primary last: a crash during mkfs leaves no valid primary
        for (long g = groups - 1; g >= 0; g--) {
            if (!sb.groupHasSuper(g)) {
                continue;
            }
            long s = sb.superBlockOf(g);
            byte[] copy = sb.raw().clone();
            Le.put16(copy, 0x5A, (int) g);
            Ext4Super c = new Ext4Super(copy);
            byte[] enc = c.encode();
            if (g == 0) {
                byte[] block0 = new byte[Math.max(bs, 2048)];
                System.arraycopy(enc, 0, block0, Ext4Super.OFFSET, Ext4Super.SIZE);
                dev.write(0, block0, 0, block0.length, false);
            } else {
                byte[] blk = new byte[bs];
                System.arraycopy(enc, 0, blk, 0, Ext4Super.SIZE);
                dev.write(s * bs, blk, 0, bs, false);
            }
            dev.write((s + 1) * bs, gd.table(), 0, gd.table().length, false);
        }
        dev.flush();
    }

    /**
     * Reserved descriptor block {@code k} of group {@code g}, where res_gdt.c expects it: the primary's
     * (superblock block + 1 + descriptor blocks + k) plus g groups. With 1 KiB blocks and bigalloc the first
     * data block is 0 while the superblock stays in block 1; res_gdt.c counts from block 1 there too.
     */
    static long reservedGdtBlock(Ext4Super sb, long g, int k) {
        return sb.gdtStart() + sb.gdtBlocks() + k + g * sb.blocksPerGroup();
    }

    /**
     * Inode 7, as ext2fs_create_resize_inode (lib/ext2fs/res_gdt.c) lays it out: a block-mapped regular file
     * (mode 0600, no extents flag) whose double-indirect block, at slot (descriptor blocks + k) mod
     * addresses-per-block, points at the primary's k-th reserved descriptor block; that block, read as an
     * indirect block, lists the same reserved block in every backup group (1, 3, 5, 7, 9, 25, 27, ...).
     * i_size is the double-indirect reach, (apb^2 + apb + 12) blocks; i_blocks counts the double-indirect
     * block, the primary reserved blocks and their backups. e2fsck's check_resize_inode verifies exactly this.
     */
    private static void writeResizeInode(BlockDevice dev, Ext4Super sb, Layout l, long now) {
        int bs = sb.blockSize();
        int apb = bs / 4;
        int rsv = sb.reservedGdtBlocks();
        long gdt = sb.gdtBlocks();
        byte[] dind = new byte[bs];
        long blocksUsed = 1;
        for (int k = 0; k < rsv; k++) {
            long primary = reservedGdtBlock(sb, 0, k);
            Le.put32(dind, (int) ((gdt + k) % apb) * 4, primary);
            byte[] ind = new byte[bs];
            int last = 0;
            for (long g = 1; g < sb.groupCount() && last < apb; g++) {
                if (sb.groupHasSuper(g)) {
                    Le.put32(ind, 4 * last++, reservedGdtBlock(sb, g, k));
                }
            }
            blocksUsed += 1 + last;
            dev.write(primary * bs, ind, 0, bs, false);
        }
        dev.write(l.resizeDind() * bs, dind, 0, bs, false);
        Ext4Inode r = Ext4Inode.fresh(INODE_SIZE);
        r.mode(0100600);
        r.links(1);
        r.size(((long) apb * apb + apb + 12) * bs);
        r.atime(now * 1_000_000_000L);
        r.ctime(now * 1_000_000_000L);
        r.mtime(now * 1_000_000_000L);
        r.crtime(now * 1_000_000_000L);
        // ext2fs_iblk_add_blocks: 512-byte units per block, times the cluster ratio
        r.blocks512(blocksUsed * (bs / 512) * sb.blocksPerCluster());
        byte[] iblock = new byte[Ext4Inode.I_BLOCK_LEN];
        Le.put32(iblock, 13 * 4, l.resizeDind()); // EXT2_DIND_BLOCK
        r.iblock(iblock);
        r.seal(sb.csumSeed(), 7);
        putInode(dev, sb, l, 7, r);
    }

    private static void putInode(BlockDevice dev, Ext4Super sb, Layout l, long ino, Ext4Inode inode) {
        int bs = sb.blockSize();
        byte[] itb = new byte[bs];
        long itable = l.itable()[0];
        long off = (ino - 1) * INODE_SIZE;
        dev.read((itable + off / bs) * bs, itb, 0, bs);
        System.arraycopy(inode.raw(), 0, itb, (int) (off % bs), INODE_SIZE);
        dev.write((itable + off / bs) * bs, itb, 0, bs, false);
    }

    /**
     * Inode 8: a regular file of the journal blocks (one extent per 32768 blocks), its i_block copied to
     * s_jnl_blocks (EXT3_JNL_BACKUP_BLOCKS), and an empty journal in it.
     */
    private static void writeJournal(BlockDevice dev, Ext4Super sb, Layout l, long now) {
        int bs = sb.blockSize();
        java.util.List<org.kmodel.fs.extent.Extent> ext = new java.util.ArrayList<>();
        for (long off = 0; off < l.journalLen(); off += 32768) {
            ext.add(new org.kmodel.fs.extent.Extent(
                    off, Math.min(32768, l.journalLen() - off), l.journalStart() + off, false));
        }
        if (ext.size() > ExtentCodec.ROOT_MAX) {
            throw new KernelException(Errno.EINVAL, "mkfs.ext4: journal too large");
        }
        Ext4Inode j = Ext4Inode.fresh(INODE_SIZE);
        j.mode(0100600);
        j.links(1);
        j.size((long) l.journalLen() * bs);
        j.atime(now * 1_000_000_000L);
        j.ctime(now * 1_000_000_000L);
        j.mtime(now * 1_000_000_000L);
        j.crtime(now * 1_000_000_000L);
        j.flags(Ext4Inode.EXTENTS_FL);
        j.blocks512((long) l.journalLen() * bs / 512);
        byte[] root = new byte[Ext4Inode.I_BLOCK_LEN];
        ExtentCodec.header(root, 0, ext.size(), ExtentCodec.ROOT_MAX, 0);
        for (int k = 0; k < ext.size(); k++) {
            ExtentCodec.leaf(root, 12 + 12 * k, ext.get(k));
        }
        j.iblock(root);
        j.seal(sb.csumSeed(), 8);
        System.arraycopy(root, 0, sb.raw(), 0x10C, 60);
        Le.put32(sb.raw(), 0x10C + 60, j.size() >>> 32);
        Le.put32(sb.raw(), 0x10C + 64, j.size());
        Le.put8(sb.raw(), 0xFD, 1);
        putInode(dev, sb, l, 8, j);
        long[] map = new long[l.journalLen()];
        for (int k = 0; k < map.length; k++) {
            map[k] = l.journalStart() + k;
        }
        // as mke2fs: no journal features yet; the first mount sets 64bit and csum v3 (jbd2_journal_set_features
        // from ext4's set_journal_csum_feature_set), so dumpe2fs of a fresh image reads "Journal features: (none)"
        org.kmodel.fs.jbd2.Journal.format(dev, map, bs, sb.uuid(), 0, false);
    }
}
