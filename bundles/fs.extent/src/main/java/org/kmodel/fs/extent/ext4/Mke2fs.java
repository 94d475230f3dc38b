package org.kmodel.fs.extent.ext4;

import java.util.BitSet;
import java.util.Random;

import org.kmodel.block.BlockDevice;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * mke2fs (e2fsprogs misc/mke2fs.c) for the features Debian's mke2fs 1.47 turns on by default, minus
 * resize_inode (no reserved GDT blocks; online resize is not modelled): has_journal ext_attr dir_index
 * filetype extent 64bit flex_bg sparse_super large_file huge_file dir_nlink extra_isize metadata_csum, and
 * bigalloc on request. Writes the superblock and its sparse backups, the descriptor table and its backups,
 * bitmaps, the reserved part of the inode tables, and the journal inode with an empty jbd2 journal (v2 superblock, csum v3).
 * The root directory and lost+found are made by the filesystem itself on first commit, as any directory.
 */
public final class Mke2fs {
    static final int INODE_SIZE = 256;
    static final int FIRST_INO = 11;
    static final int LOG_FLEX = 4;

    private Mke2fs() {
    }

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
        long groups = (blocks - first + bpg - 1) / bpg;
        if (groups > 1 && blocks - first - (groups - 1) * bpg < 64L * cpc) {
            groups--; // a tail too small for its own metadata is left out, as mke2fs does
            blocks = first + groups * bpg;
        }
        long bytes = blocks * bs;
        long ratio = Math.max(cs, bytes >= 512L << 20 ? 16384 : 4096);
        int perBlock = bs / INODE_SIZE;
        long ipg = Math.max(16, (bytes / ratio + groups - 1) / groups);
        ipg = Math.min(8L * bs, (ipg + Math.max(8, perBlock) - 1) / Math.max(8, perBlock) * Math.max(8, perBlock));
        long itableBlocks = ipg * INODE_SIZE / bs;
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
        Le.put32(raw, 0x5C, Ext4Super.COMPAT_HAS_JOURNAL | Ext4Super.COMPAT_EXT_ATTR | Ext4Super.COMPAT_DIR_INDEX);
        Le.put32(raw, 0x60, Ext4Super.INCOMPAT_FILETYPE | Ext4Super.INCOMPAT_EXTENTS | Ext4Super.INCOMPAT_64BIT
                | Ext4Super.INCOMPAT_FLEX_BG);
        Le.put32(raw, 0x64, Ext4Super.RO_COMPAT_SPARSE_SUPER | Ext4Super.RO_COMPAT_LARGE_FILE
                | Ext4Super.RO_COMPAT_HUGE_FILE | Ext4Super.RO_COMPAT_DIR_NLINK | Ext4Super.RO_COMPAT_EXTRA_ISIZE
                | Ext4Super.RO_COMPAT_METADATA_CSUM | (cpc > 1 ? Ext4Super.RO_COMPAT_BIGALLOC : 0));
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

    /** Where everything goes: a bitmap of used blocks and each group's bitmaps and inode table. */
    record Layout(BitSet used, long[] bbitmap, long[] ibitmap, long[] itable, long journalStart, int journalLen) {
    }

    private static Layout place(Ext4Super sb, long groups, long first, long bpg, long itb, long blocks, int cpc,
            int jblocks) {
        BitSet used = new BitSet((int) blocks);
        used.set(0, (int) sb.gdtStart()); // the boot block (1k) and the primary superblock
        long gdt = sb.gdtBlocks();
        for (long g = 0; g < groups; g++) {
            if (sb.groupHasSuper(g)) {
                long s = sb.superBlockOf(g);
                used.set((int) s, (int) (s + 1 + gdt));
            }
        }
        long[] bb = new long[(int) groups];
        long[] ib = new long[(int) groups];
        long[] it = new long[(int) groups];
        int flex = 1 << LOG_FLEX;
        for (long f = 0; f < groups; f += flex) {
            long cursor = first + f * bpg;
            long last = Math.min(groups, f + flex);
            for (long g = f; g < last; g++) {
                bb[(int) g] = take(used, cursor, 1, blocks, 1);
            }
            for (long g = f; g < last; g++) {
                ib[(int) g] = take(used, cursor, 1, blocks, 1);
            }
            for (long g = f; g < last; g++) {
                it[(int) g] = take(used, cursor, itb, blocks, 1);
            }
        }
        long js = jblocks == 0 ? 0 : take(used, first + (groups / 2) * bpg, jblocks, blocks, cpc);
        // bigalloc: a cluster holding any metadata block is wholly used
        if (cpc > 1) {
            for (int c = 0; c < (blocks + cpc - 1) / cpc; c++) {
                if (used.nextSetBit(c * cpc) >= 0 && used.nextSetBit(c * cpc) < (c + 1) * cpc) {
                    used.set(c * cpc, (c + 1) * cpc);
                }
            }
        }
        return new Layout(used, bb, ib, it, js, jblocks);
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
            gd.bitmapChecksums(g, Crc32c.update(seed, bbm, 0, (int) (cpg / 8)), Crc32c.update(seed, ibm, 0, (int) (ipg / 8)));
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
     * Inode 8: a regular file of the journal blocks (one extent per 32768 blocks), its i_block copied to
     * s_jnl_blocks (EXT3_JNL_BACKUP_BLOCKS), and an empty journal in it.
     */
    private static void writeJournal(BlockDevice dev, Ext4Super sb, Layout l, long now) {
        int bs = sb.blockSize();
        java.util.List<org.kmodel.fs.extent.Extent> ext = new java.util.ArrayList<>();
        for (long off = 0; off < l.journalLen(); off += 32768) {
            ext.add(new org.kmodel.fs.extent.Extent(off, Math.min(32768, l.journalLen() - off),
                    l.journalStart() + off, false));
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
        byte[] itb = new byte[bs];
        long itable = l.itable()[0];
        long off = 7L * INODE_SIZE;
        dev.read((itable + off / bs) * bs, itb, 0, bs);
        System.arraycopy(j.raw(), 0, itb, (int) (off % bs), INODE_SIZE);
        dev.write((itable + off / bs) * bs, itb, 0, bs, false);
        long[] map = new long[l.journalLen()];
        for (int k = 0; k < map.length; k++) {
            map[k] = l.journalStart() + k;
        }
        org.kmodel.fs.jbd2.Journal.format(dev, map, bs, sb.uuid());
    }
}
