package org.kmodel.fs.extent.disk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.kmodel.block.BlockDevice;
import org.kmodel.fs.extent.Extent;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.fs.extent.ext4.DirLayout;
import org.kmodel.fs.extent.ext4.Ext4Inode;
import org.kmodel.fs.extent.ext4.Ext4Super;
import org.kmodel.fs.extent.ext4.ExtentCodec;
import org.kmodel.fs.extent.ext4.ExtentTreeWriter;
import org.kmodel.fs.extent.ext4.GroupDescs;
import org.kmodel.fs.jbd2.Journal;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;

/**
 * Mounting an ext4 image (fs/ext4/super.c __ext4_fill_super): superblock and feature checks, descriptors
 * with their checksums, free space from the block bitmaps (or computed for BLOCK_UNINIT groups, as
 * ext4_init_block_bitmap does), the inodes in use, their extent trees and directories, then the orphan
 * list (ext4_orphan_cleanup).
 */
final class Ext4Loader {
    private Ext4Loader() {}

    static DiskSuperBlock open(
            BlockDevice dev, KernelRelease release, long commitSeconds, String options, boolean fresh) {
        byte[] raw = new byte[Ext4Super.SIZE];
        dev.read(Ext4Super.OFFSET, raw, 0, raw.length);
        Ext4Super sb = new Ext4Super(raw);
        sb.checkFeatures(dev.name());
        if (!sb.checksumOk()) {
            throw new KernelException(
                    Errno.EBADMSG,
                    "EXT4-fs (" + dev.name()
                            + "): VFS: Found ext4 filesystem with invalid superblock checksum.  Run e2fsck?");
        }
        int bs = sb.blockSize();
        if (sb.blocksCount() * bs > dev.size()) {
            throw new KernelException(
                    Errno.EINVAL,
                    "EXT4-fs (" + dev.name() + "): bad geometry: block count " + sb.blocksCount()
                            + " exceeds size of device (" + dev.size() / bs + " blocks)");
        }
        Ext4MountCheck.geometry(sb, dev.name(), dev.size());
        GroupDescs gd = readDescs(dev, sb);
        Ext4MountCheck.descriptors(sb, gd, dev.name());
        Journal journal = null;
        if ((sb.compat() & Ext4Super.COMPAT_HAS_JOURNAL) != 0) {
            journal = openJournal(dev, sb, gd, fresh);
            // ext4_load_journal: replay what was committed but not checkpointed, then read the
            // filesystem again (the superblock and descriptors may have been in the log)
            if (journal.needsRecovery() || (sb.incompat() & Ext4Super.INCOMPAT_RECOVER) != 0) {
                journal.recover();
                dev.read(Ext4Super.OFFSET, raw, 0, raw.length);
                sb = new Ext4Super(raw);
                sb.checkFeatures(dev.name());
                Ext4MountCheck.geometry(sb, dev.name(), dev.size());
                gd = readDescs(dev, sb);
                Ext4MountCheck.descriptors(sb, gd, dev.name());
            }
        } else if ((sb.incompat() & Ext4Super.INCOMPAT_RECOVER) != 0) {
            throw new KernelException(
                    Errno.EINVAL, "EXT4-fs (" + dev.name() + "): no journal found, but the filesystem needs recovery");
        }
        long groups = sb.groupCount();
        for (long g = 0; g < groups; g++) {
            if (sb.metadataCsum() && !gd.checksumOk(g)) {
                throw new KernelException(
                        Errno.EUCLEAN,
                        "EXT4-fs (" + dev.name() + "): ext4_check_descriptors: Checksum for group " + g + " failed");
            }
        }
        int cpc = sb.blocksPerCluster();
        FsProfile profile = FsProfile.ext4(bs, sb.clusterSize());
        DiskSuperBlock fs = new DiskSuperBlock(
                dev, profile, release, commitSeconds, options, sb.firstDataBlock() / cpc, sb.blocksCount() / cpc);
        Ext4Store st = new Ext4Store(fs, sb, gd);
        fs.store(st);
        if (journal != null) {
            st.sink(new JournalSink(journal));
            // the log may now hold transactions not yet written home: e2fsck and the kernel must replay it
            sb.incompat(sb.incompat() | Ext4Super.INCOMPAT_RECOVER);
            st.writeSuperInPlace();
        }
        loadBitmaps(st, fs, dev);
        loadInodes(st, fs, dev, fresh);
        st.loaded();
        fs.freeOrphans();
        return fs;
    }

    private static GroupDescs readDescs(BlockDevice dev, Ext4Super sb) {
        byte[] table = new byte[(int) (sb.gdtBlocks() * sb.blockSize())];
        dev.read(sb.gdtStart() * sb.blockSize(), table, 0, table.length);
        return new GroupDescs(sb, table);
    }

    /** The journal inode's blocks, logical to physical (ext4_get_journal_inode + jbd2_journal_bmap). */
    private static Journal openJournal(BlockDevice dev, Ext4Super sb, GroupDescs gd, boolean fresh) {
        long ino = sb.journalInum();
        int bs = sb.blockSize();
        long ipg = sb.inodesPerGroup();
        int isz = sb.inodeSize();
        long g = (ino - 1) / ipg;
        long idx = (ino - 1) % ipg;
        byte[] blk = new byte[bs];
        dev.read((gd.inodeTable(g) + idx * isz / bs) * bs, blk, 0, bs);
        int off = (int) (idx * isz % bs);
        Ext4Inode in = new Ext4Inode(java.util.Arrays.copyOfRange(blk, off, off + isz));
        if ((in.flags() & Ext4Inode.EXTENTS_FL) == 0 || in.size() < 2L * bs) {
            throw new KernelException(Errno.EINVAL, "EXT4-fs (" + dev.name() + "): no journal found");
        }
        int seedI = Ext4Inode.inodeSeed(sb.csumSeed(), ino, in.generation());
        List<Extent> ext = ExtentCodec.read(
                in.iblock(),
                b -> {
                    byte[] x = new byte[bs];
                    dev.read(b * bs, x, 0, bs);
                    return x;
                },
                bs,
                seedI,
                sb.metadataCsum(),
                new ArrayList<>());
        if (in.size() / bs > sb.blocksCount()) { // a crafted i_size: no journal is larger than its filesystem
            throw new KernelException(
                    Errno.EUCLEAN,
                    "EXT4-fs (" + dev.name() + "): journal inode is larger (" + in.size() / bs
                            + " blocks) than the filesystem (" + sb.blocksCount() + " blocks)");
        }
        long[] map = new long[(int) (in.size() / bs)];
        java.util.Arrays.fill(map, -1);
        for (Extent e : ext) {
            for (long k = 0; k < e.len() && e.lblk() + k < map.length; k++) {
                map[(int) (e.lblk() + k)] = e.pblk() + k;
            }
        }
        for (long m : map) {
            if (m < 0) {
                throw new KernelException(Errno.EINVAL, "EXT4-fs (" + dev.name() + "): journal inode has a hole");
            }
        }
        // mkfs's own first commit (root, lost+found) sets no journal features, as mke2fs writes those
        // directories without the journal: a fresh image's journal reads "(none)" until its first mount
        return fresh ? Journal.load(dev, map, bs, sb.uuid(), 0) : Journal.load(dev, map, bs, sb.uuid());
    }

    private static void loadBitmaps(Ext4Store st, DiskSuperBlock fs, BlockDevice dev) {
        Ext4Super sb = st.sb;
        GroupDescs gd = st.gd;
        long groups = sb.groupCount();
        int bs = st.bs;
        long cpg = sb.clustersPerGroup();
        long end = fs.allocator().endUnit();
        java.util.BitSet meta = null;
        List<long[]> used = new ArrayList<>();
        for (long g = 0; g < groups; g++) {
            long u0 = st.firstClusterOf(g);
            byte[] bbm;
            if ((gd.flags(g) & GroupDescs.BG_BLOCK_UNINIT) != 0) {
                if (meta == null) {
                    meta = fixedMetadata(st);
                }
                bbm = new byte[bs];
                for (long c = 0; c < cpg; c++) {
                    long first = (u0 + c) * st.cpc;
                    int hit = meta.nextSetBit((int) first);
                    if (hit >= 0 && hit < first + st.cpc) {
                        bbm[(int) (c >>> 3)] |= (byte) (1 << (c & 7));
                    }
                }
            } else {
                bbm = st.readBlock(gd.blockBitmap(g));
            }
            st.blockBitmaps[(int) g] = bbm;
            // runs of set bits, the group's clusters past the end of the filesystem excluded; BitSet scans a
            // word at a time (a mount reads every group's bitmap, and the mount fuzzer does so per execution)
            int limit = (int) Math.max(0, Math.min(cpg, end - u0));
            java.util.BitSet bits = java.util.BitSet.valueOf(bbm);
            for (int from = bits.nextSetBit(0); from >= 0 && from < limit; ) {
                int to = Math.min(bits.nextClearBit(from), limit);
                used.add(new long[] {u0 + from, to - from});
                from = bits.nextSetBit(to);
            }
            byte[] ibm =
                    (gd.flags(g) & GroupDescs.BG_INODE_UNINIT) != 0 ? new byte[bs] : st.readBlock(gd.inodeBitmap(g));
            java.util.BitSet inodes = java.util.BitSet.valueOf(ibm);
            for (int k = inodes.nextSetBit(0); k >= 0 && k < st.ipg; k = inodes.nextSetBit(k + 1)) {
                st.inodeUsed.set((int) (g * st.ipg + k));
            }
        }
        for (long[] u : used) {
            if (u[0] < end) {
                fs.allocator().take(u[0], Math.min(u[1], end - u[0]));
            }
        }
    }

    /** Blocks every BLOCK_UNINIT group still holds: superblock and GDT backups, bitmaps, inode tables. */
    private static java.util.BitSet fixedMetadata(Ext4Store st) {
        Ext4Super sb = st.sb;
        java.util.BitSet m = new java.util.BitSet();
        m.set(0, (int) sb.gdtStart()); // the boot block and the primary superblock
        long gdt = sb.gdtBlocks() + sb.reservedGdtBlocks();
        for (long g = 0; g < sb.groupCount(); g++) {
            long s = sb.superBlockOf(g);
            if (sb.groupHasSuper(g)) {
                m.set((int) s, (int) (s + 1 + gdt));
            }
            m.set((int) st.gd.blockBitmap(g));
            m.set((int) st.gd.inodeBitmap(g));
            m.set((int) st.gd.inodeTable(g), (int) (st.gd.inodeTable(g) + st.ipg * st.isz / st.bs));
        }
        // the last group's clusters past the end of the filesystem
        m.set((int) sb.blocksCount(), (int) (sb.firstDataBlock() + sb.groupCount() * sb.blocksPerGroup()));
        return m;
    }

    private static void loadInodes(Ext4Store st, DiskSuperBlock fs, BlockDevice dev, boolean fresh) {
        long first = st.sb.firstIno();
        long root = fs.profile().rootIno();
        long lastOrphanChainHead = st.sb.lastOrphan();
        for (int idx = st.inodeUsed.nextSetBit(0); idx >= 0; idx = st.inodeUsed.nextSetBit(idx + 1)) {
            long ino = idx + 1L;
            if (ino != root && ino < first) {
                continue; // reserved inodes (journal, resize, quota...) are the filesystem's, not the VFS's
            }
            byte[] blk = st.readBlock(st.inodeBlock(ino));
            byte[] raw = java.util.Arrays.copyOfRange(blk, st.inodeOffset(ino), st.inodeOffset(ino) + st.isz);
            Ext4Inode in = new Ext4Inode(raw);
            if (in.mode() == 0 && in.links() == 0) {
                continue;
            }
            if (st.csum && !in.checksumOk(st.seed, ino)) {
                throw new KernelException(Errno.EUCLEAN, "EXT4-fs error: inode #" + ino + ": checksum invalid");
            }
            loadInode(st, fs, ino, in);
        }
        if (!fresh && !fs.inodeMap().containsKey(root)) {
            throw new KernelException(Errno.EUCLEAN, "EXT4-fs: get root inode failed");
        }
        if (!fresh && fs.inodeMap().get(root).nlink == 0) {
            // __ext4_iget with EXT4_IGET_SPECIAL (fs/ext4/inode.c): a special inode with no links is unallocated,
            // EFSCORRUPTED, and ext4_fill_super gives up; the orphan cleanup would otherwise free the root (a
            // mount whose every lookup is ESTALE). The host kernel prints both lines for such an image.
            throw new KernelException(
                    Errno.EUCLEAN,
                    "EXT4-fs error: inode #" + root + ": iget: special inode unallocated; get root inode failed");
        }
        if (!fresh && !fs.inodeMap().get(root).isDir()) { // ext4_fill_super: a root that is no directory
            throw new KernelException(Errno.EUCLEAN, "EXT4-fs: corrupt root inode, run e2fsck");
        }
        List<Long> chain = new ArrayList<>();
        for (long o = lastOrphanChainHead; o != 0 && fs.inodeMap().containsKey(o) && chain.size() < 1_000_000; ) {
            chain.add(o);
            o = st.nodes.get(o).raw.dtime();
        }
        st.setOrphanChain(chain);
        for (long o : chain) {
            st.noteOrphan(o);
        }
    }

    private static void loadInode(Ext4Store st, DiskSuperBlock fs, long ino, Ext4Inode in) {
        InodeData i = new InodeData(ino, in.mode());
        i.nlink = in.links();
        i.uid = in.uid();
        i.gid = in.gid();
        i.atime = in.atime();
        i.mtime = in.mtime();
        i.ctime = in.ctime();
        i.flags = in.flags() & Ext4Inode.USER_FLAGS;
        int seedI = Ext4Inode.inodeSeed(st.seed, ino, in.generation());
        boolean extents = (in.flags() & Ext4Inode.EXTENTS_FL) != 0;
        if ((in.flags() & Ext4Inode.INLINE_DATA_FL) != 0 || (!extents && (i.isReg() || i.isDir()))) {
            throw new KernelException(
                    Errno.EINVAL,
                    "EXT4-fs: inode #" + ino + ": block-mapped or inline data is not supported by kmodel");
        }
        List<Long> treeBlocks = new ArrayList<>();
        List<Extent> ext =
                extents ? ExtentCodec.read(in.iblock(), st::readBlock, st.bs, seedI, st.csum, treeBlocks) : List.of();
        Ext4Node n = new Ext4Node(in, ExtentTreeWriter.State.of(treeBlocks));
        st.nodes.put(ino, n);
        if (i.isReg()) {
            fs.attachData(i, in.size());
            for (Extent e : ext) {
                fs.checkExtent(e);
                i.data.map().map(e);
            }
        } else if (i.isDir()) {
            DirLayout d = new DirLayout(st.bs, st.csum, ino, 0);
            long lblk = 0;
            for (Extent e : ext) {
                // ext4_append (fs/ext4/namei.c) grows a directory one block at a time, so no directory the kernel
                // wrote maps a logical block past the filesystem's block count; the model keeps a directory's
                // blocks (holes included) in memory, so a crafted extent far out would make it allocate one
                // record per hole block until the heap is gone (found by MountFuzzTest).
                fs.checkExtent(e);
                if (e.lblk() + e.len() > st.blocksCount()) {
                    throw MetadataCodec.corrupt("EXT4-fs error: directory #" + ino + ": logical block "
                            + (e.lblk() + e.len() - 1) + " beyond the filesystem's " + st.blocksCount() + " blocks");
                }
                for (long k = 0; k < e.len(); k++) {
                    while (lblk < e.lblk() + k) { // a hole in a directory: kept as an empty block
                        d.blocks().add(new DirLayout.Block());
                        lblk++;
                    }
                    d.decode(st.readBlock(e.pblk() + k), e.pblk() + k);
                    lblk++;
                }
            }
            n.dir = d;
            n.htree = (in.flags() & Ext4Inode.INDEX_FL) != 0;
            i.entries = new TreeMap<>();
            for (var en : d.entries().entrySet()) {
                i.entries.put(en.getKey(), en.getValue()[0]);
            }
            st.usedDirs[(int) ((ino - 1) / st.ipg)]++;
        } else if (i.isSymlink()) {
            if (extents && !ext.isEmpty()) {
                n.symlinkBlock = ext.get(0).pblk();
                byte[] b = st.readBlock(n.symlinkBlock);
                i.target = new String(b, 0, (int) Math.min(in.size(), st.bs), StandardCharsets.UTF_8);
            } else {
                i.target = new String(in.iblock(), 0, (int) Math.min(in.size(), 60), StandardCharsets.UTF_8);
            }
        } else {
            byte[] b = in.iblock();
            long old = org.kmodel.fs.extent.ext4.Le.u32(b, 0);
            long nw = org.kmodel.fs.extent.ext4.Le.u32(b, 4);
            long major = old != 0 ? (old >>> 8) & 0xFF : (nw & 0xFFF00) >>> 8;
            long minor = old != 0 ? old & 0xFF : (nw & 0xFF) | ((nw >>> 12) & 0xFFF00);
            i.rdev = (major << 8) | (minor & 0xFF) | ((minor & ~0xFFL) << 12);
        }
        fs.inodeMap().put(ino, i);
    }
}
