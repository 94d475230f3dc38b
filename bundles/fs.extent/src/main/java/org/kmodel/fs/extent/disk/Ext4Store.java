package org.kmodel.fs.extent.disk;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.kmodel.block.BlockDevice;
import org.kmodel.fs.extent.Extent;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.fs.extent.ext4.DirLayout;
import org.kmodel.fs.extent.ext4.Ext4Inode;
import org.kmodel.fs.extent.ext4.Ext4Super;
import org.kmodel.fs.extent.ext4.ExtentCodec;
import org.kmodel.fs.extent.ext4.ExtentTreeWriter;
import org.kmodel.fs.extent.ext4.GroupDescs;
import org.kmodel.fs.extent.ext4.Le;
import org.kmodel.fs.extent.ext4.Mke2fs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;

/**
 * The real ext4 layout (fs/ext4/): superblock, group descriptors, block and inode bitmaps, inode tables,
 * extent trees, linear directories, all with metadata_csum checksums. The model changes in memory; this
 * store records what changed (inodes, directory blocks, groups whose bitmaps moved) and a commit writes
 * exactly those blocks through the {@link MetadataSink}: so fsync costs what the transaction changed, not
 * what the filesystem holds (the point of jbd2's per-transaction buffer lists).
 */
final class Ext4Store implements MetadataStore {
    private final DiskSuperBlock fs;
    private final BlockDevice dev;
    final Ext4Super sb;
    final GroupDescs gd;
    final int bs;
    final int cpc;
    final int seed;
    final boolean csum;
    final long ipg;
    final int isz;
    final BitSet inodeUsed = new BitSet();
    final Map<Long, Ext4Node> nodes = new HashMap<>();
    final long[] usedDirs;
    /** Each group's block bitmap as it must be on disk (used clusters, frees of the running transaction clear). */
    final byte[][] blockBitmaps;

    private final TreeSet<Long> dirtyInodes = new TreeSet<>();
    private final BitSet dirtyGroups = new BitSet();
    private final TreeSet<Long> orphans = new TreeSet<>();
    private List<Long> orphanChain = List.of();
    /** Metadata blocks as last written: read-modify-write must see them even before they reach home. */
    private final Map<Long, byte[]> cache = new HashMap<>();

    private MetadataSink sink;
    private final java.util.Random rnd = new java.util.Random();

    Ext4Store(DiskSuperBlock fs, Ext4Super sb, GroupDescs gd) {
        this.fs = fs;
        this.dev = fs.device();
        this.sb = sb;
        this.gd = gd;
        this.bs = sb.blockSize();
        this.cpc = sb.blocksPerCluster();
        this.seed = sb.csumSeed();
        this.csum = sb.metadataCsum();
        this.ipg = sb.inodesPerGroup();
        this.isz = sb.inodeSize();
        this.usedDirs = new long[(int) sb.groupCount()];
        this.blockBitmaps = new byte[(int) sb.groupCount()][];
        this.sink = new MetadataSink.InPlace(dev, bs);
        fs.allocator().listener(this::clustersChanged);
        fs.allocator().metadataFloor(this::commitMetadataNeed);
    }

    /**
     * Clusters the next commit may allocate for metadata: the extent-tree blocks of the dirty inodes beyond
     * those they own, with a margin (operations that split extents without allocating, as punch, zero range
     * and insert do, add extents between two allocations), and directory blocks not placed yet. The model lays
     * trees out at commit, where the kernel allocates them with the operation (ext4_ext_split,
     * ext4_ext_grow_indepth) out of its reserved pool when space is short (EXT4_MB_USE_RESERVED). Without this,
     * a commit forced to recycle the running transaction's frees (ext4_should_retry_alloc) could find every
     * free cluster handed to data and fail with "no space for metadata", though its own frees were waiting.
     */
    long commitMetadataNeed() {
        long need = 0;
        for (long ino : dirtyInodes) {
            Ext4Node n = nodes.get(ino);
            InodeData i = fs.inodeMap().get(ino);
            if (n == null || n.freed || i == null) {
                continue;
            }
            long extents;
            if (i.isReg()) {
                extents = i.data.map().extentCount();
            } else if (i.isDir()) {
                extents = dirExtents(n.dir).size();
                for (DirLayout.Block b : n.dir.blocks()) {
                    need += b.pblk() < 0 ? 1 : 0;
                }
            } else {
                continue;
            }
            // splits without allocation (punch, zero range, insert) add extents between two allocations: the
            // margin is the first tree block at once, then as many extents again as the file has
            need += Math.max(
                    0,
                    ExtentCodec.treeBlocks(Math.max(2 * extents + 2, ExtentCodec.ROOT_MAX + 1L), bs) - n.tree.count());
        }
        return need;
    }

    long blocksCount() {
        return sb.blocksCount();
    }

    // ---- finding and making ------------------------------------------------------------------------

    static boolean isExt4(BlockDevice dev) {
        if (dev.size() < 2048) {
            return false;
        }
        byte[] b = new byte[1024];
        dev.read(1024, b, 0, 1024);
        return Le.u16(b, 0x38) == Ext4Super.MAGIC;
    }

    static DiskSuperBlock format(BlockDevice dev, FsProfile p) {
        Mke2fs.format(dev, p.blockSize(), p.clusterSize());
        DiskSuperBlock fs = Ext4Loader.open(dev, KernelRelease.DEFAULT, 0, "", true);
        return fs;
    }

    static DiskSuperBlock mount(BlockDevice dev, KernelRelease release, long commitSeconds, String options) {
        return Ext4Loader.open(dev, release, commitSeconds, options, false);
    }

    // ---- geometry -------------------------------------------------------------------------------------

    long groupOfCluster(long c) {
        return (c * cpc - sb.firstDataBlock()) / sb.blocksPerGroup();
    }

    long firstClusterOf(long g) {
        return (sb.firstDataBlock() + g * sb.blocksPerGroup()) / cpc;
    }

    /**
     * The block bitmaps follow the allocator bit by bit (ext4_mb_mark_diskspace_used / ext4_free_blocks set
     * and clear bits in the buffer the transaction logs), so writing a group costs one block, however
     * fragmented its free space is.
     */
    private void clustersChanged(long start, long len, boolean used) {
        for (long u = start; u < start + len; u++) {
            int g = (int) groupOfCluster(u);
            long bit = u - firstClusterOf(g);
            byte[] bm = blockBitmaps[g];
            if (used) {
                bm[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
            } else {
                bm[(int) (bit >>> 3)] &= (byte) ~(1 << (bit & 7));
            }
        }
        dirtyGroups.set((int) groupOfCluster(start), (int) groupOfCluster(start + len - 1) + 1);
    }

    /** Mount is done: what loading did to the bitmaps is already on disk. */
    void loaded() {
        dirtyGroups.clear();
        dirtyInodes.clear();
    }

    long inodeBlock(long ino) {
        long g = (ino - 1) / ipg;
        long idx = (ino - 1) % ipg;
        return gd.inodeTable(g) + idx * isz / bs;
    }

    int inodeOffset(long ino) {
        return (int) ((ino - 1) % ipg * isz % bs);
    }

    byte[] readBlock(long b) {
        byte[] c = cache.get(b);
        if (c != null) {
            return c.clone();
        }
        byte[] img = new byte[bs];
        sink.read(b, img);
        return img;
    }

    void sink(MetadataSink s) {
        this.sink = s;
    }

    /** A freed metadata block (extent tree, directory, symlink): revoked from the journal. */
    void revoke(long b) {
        cache.remove(b);
        sink.revoke(b);
    }

    /** The running transaction grew past what the journal takes at once: time to commit (jbd2 does the same). */
    @Override
    public boolean wantsCommit() {
        int limit = sink instanceof JournalSink j ? j.maxTransactionBlocks() : Integer.MAX_VALUE;
        return (long) dirtyInodes.size() * 2 + dirtyGroups.cardinality() * 2L + 8 > limit;
    }

    /**
     * umount (ext4_put_super): the journal is checkpointed and emptied, then the superblock is written in
     * place without the needs_recovery flag, so e2fsck and the kernel see a clean filesystem.
     */
    @Override
    public void finish() {
        sink.checkpointAll();
        cache.clear();
        sb.incompat(sb.incompat() & ~Ext4Super.INCOMPAT_RECOVER);
        writeSuperInPlace();
    }

    /** The superblock straight to its home (ext4_commit_super), used for the needs_recovery flag. */
    void writeSuperInPlace() {
        long sbBlock = bs == 1024 ? 1 : 0;
        byte[] blk = new byte[bs];
        sink.read(sbBlock, blk);
        System.arraycopy(sb.encode(), 0, blk, bs == 1024 ? 0 : 1024, Ext4Super.SIZE);
        dev.write(sbBlock * bs, blk, 0, bs, true);
    }

    void cacheAndLog(long b, byte[] img) {
        writeBlock(b, img);
    }

    private void writeBlock(long b, byte[] img) {
        cache.put(b, img);
        sink.write(b, img);
    }

    // ---- hooks from the model -----------------------------------------------------------------------

    @Override
    public long allocateIno(int mode) {
        int idx = inodeUsed.nextClearBit((int) sb.firstIno() - 1);
        if (idx >= sb.inodesCount()) {
            throw new KernelException(Errno.ENOSPC, "no free inodes");
        }
        inodeUsed.set(idx);
        dirtyGroups.set((int) (idx / ipg));
        return idx + 1L;
    }

    @Override
    public void created(InodeData i, long parent) {
        inodeUsed.set((int) (i.ino - 1));
        Ext4Inode raw = Ext4Inode.fresh(isz);
        raw.generation(rnd.nextInt() & 0xFFFFFFFFL);
        Ext4Node n = new Ext4Node(raw, new ExtentTreeWriter.State());
        if (i.isDir()) {
            n.dir = new DirLayout(bs, csum, i.ino, parent);
            n.dir.init(0);
            usedDirs[(int) ((i.ino - 1) / ipg)]++;
        }
        nodes.put(i.ino, n);
        dirty(i.ino);
    }

    /**
     * ext4_xattr_delete_inode -> ext4_xattr_release_block: the inode's external xattr block loses a reference
     * (h_refcount at byte 4; blocks are shared between inodes with identical attributes, mbcache); at zero it is
     * freed, otherwise rewritten with its new count and checksum (ext4_xattr_block_csum: crc32c of the
     * filesystem seed, the 64-bit block number, then the block with h_checksum zeroed). i_file_acl becomes 0.
     */
    private void dropXattrBlock(Ext4Node n) {
        long b = n.raw.fileAcl();
        if (b == 0) {
            return;
        }
        n.raw.fileAcl(0);
        if (b >= sb.blocksCount()) {
            return; // out of range: nothing of ours to release (e2fsck's business)
        }
        byte[] img = readBlock(b);
        long refs = Le.u32(img, 4);
        if (Le.u32(img, 0) != 0xEA020000L || refs <= 1) {
            fs.allocator().release(b / cpc, 1);
            revoke(b);
            return;
        }
        Le.put32(img, 4, refs - 1);
        if (csum) {
            Le.put32(img, 0x10, 0);
            byte[] nr = new byte[8];
            Le.put32(nr, 0, b);
            Le.put32(nr, 4, b >>> 32);
            int c = org.kmodel.fs.extent.ext4.Crc32c.update(seed, nr, 0, 8);
            Le.put32(img, 0x10, org.kmodel.fs.extent.ext4.Crc32c.update(c, img, 0, bs) & 0xFFFFFFFFL);
        }
        cacheAndLog(b, img);
    }

    @Override
    public void freed(InodeData i) {
        Ext4Node n = nodes.get(i.ino);
        if (n == null) {
            return;
        }
        for (long b : n.tree.blocks()) {
            fs.allocator().release(b / cpc, 1);
            revoke(b);
        }
        if (n.dir != null) {
            for (long c : dirClusters(n.dir)) {
                fs.allocator().release(c, 1);
            }
            for (DirLayout.Block b : n.dir.blocks()) {
                if (b.pblk() >= 0) {
                    revoke(b.pblk());
                }
            }
            usedDirs[(int) ((i.ino - 1) / ipg)]--;
        }
        if (n.symlinkBlock >= 0) {
            fs.allocator().release(n.symlinkBlock / cpc, 1);
            revoke(n.symlinkBlock);
        }
        dropXattrBlock(n);
        n.freed = true;
        inodeUsed.clear((int) (i.ino - 1));
        dirtyGroups.set((int) ((i.ino - 1) / ipg));
        dirty(i.ino);
    }

    @Override
    public void dirty(long ino) {
        dirtyInodes.add(ino);
    }

    private DirLayout layout(InodeData dir) {
        Ext4Node n = nodes.get(dir.ino);
        if (n.htree) {
            // ext4 may drop the index of a directory (ext4_clear_inode_flag(EXT4_INODE_INDEX) in
            // ext4_add_entry); every block is rewritten as linear records with checksum tails.
            n.htree = false;
            n.dir.markAllDirty();
        }
        return n.dir;
    }

    @Override
    public void dirAdd(InodeData dir, String name, InodeData child) {
        layout(dir).add(name, child.ino, Ext4DirBlocks.fileType(child.mode));
    }

    @Override
    public void dirRemove(InodeData dir, String name) {
        layout(dir).remove(name);
    }

    @Override
    public void reparent(InodeData dir, long parent) {
        nodes.get(dir.ino).dir.parent(parent);
        dirty(dir.ino);
    }

    @Override
    public long mapOverhead512(InodeData i) {
        Ext4Node n = nodes.get(i.ino);
        long cs512 = (long) bs * cpc / 512;
        // st_blocks is i_blocks: it includes an external xattr block (host-made) as the kernel's does
        long xattr = n != null && n.raw.fileAcl() != 0 ? cs512 : 0;
        if (i.isSymlink()) {
            return xattr + (n != null && n.symlinkBlock >= 0 || i.target.length() >= Ext4Inode.I_BLOCK_LEN ? cs512 : 0);
        }
        if (i.data == null) {
            return xattr;
        }
        return xattr + ExtentCodec.treeBlocks(i.data.map().extentCount(), bs) * cs512;
    }

    @Override
    public long dirBytes(InodeData dir) {
        return nodes.get(dir.ino).dir.blocks().size() * (long) bs;
    }

    @Override
    public long dirBlocks512(InodeData dir) {
        Ext4Node n = nodes.get(dir.ino);
        long blocks = n.dir.blocks().size();
        long clusters = (blocks + cpc - 1) / cpc;
        return (clusters + ExtentCodec.treeBlocks(dirExtents(n.dir).size(), bs) + (n.raw.fileAcl() != 0 ? 1 : 0))
                * ((long) bs * cpc / 512);
    }

    @Override
    public long inodeTotal() {
        return sb.inodesCount();
    }

    // ---- commit -------------------------------------------------------------------------------------

    @Override
    public void commit() {
        Ext4Writer w = new Ext4Writer(this, fs);
        List<Long> todo = new ArrayList<>(dirtyInodes);
        for (long ino : todo) {
            InodeData i = fs.inodeMap().get(ino);
            if (i != null && i.nlink == 0) {
                orphans.add(ino);
            } else {
                orphans.remove(ino);
            }
        }
        List<Long> chain = new ArrayList<>(orphans);
        if (!chain.equals(orphanChain)) {
            dirtyInodes.addAll(chain);
            dirtyInodes.addAll(
                    orphanChain.stream().filter(fs.inodeMap()::containsKey).toList());
            orphanChain = chain;
        }
        for (long ino : new ArrayList<>(dirtyInodes)) {
            InodeData i = fs.inodeMap().get(ino);
            Ext4Node n = nodes.get(ino);
            if (n == null) {
                continue;
            }
            long next = 0;
            int at = chain.indexOf(ino);
            if (at >= 0 && at + 1 < chain.size()) {
                next = chain.get(at + 1);
            }
            byte[] img = n.freed || i == null ? w.deleted(ino, n) : w.inode(i, n, next);
            long b = inodeBlock(ino);
            byte[] blk = readBlock(b);
            System.arraycopy(img, 0, blk, inodeOffset(ino), isz);
            writeBlock(b, blk);
            if (n.freed) {
                nodes.remove(ino);
            }
        }
        dirtyInodes.clear();
        sb.lastOrphan(chain.isEmpty() ? 0 : chain.get(0));
        // The groups: bitmaps from the allocator (frees of this transaction count as free: they are
        // durable with it) and the descriptor counts.
        BitSet gdtDirty = new BitSet();
        for (int g = dirtyGroups.nextSetBit(0); g >= 0; g = dirtyGroups.nextSetBit(g + 1)) {
            w.group(g);
            gdtDirty.set(gd.tableBlockOf(g));
        }
        dirtyGroups.clear();
        for (int k = gdtDirty.nextSetBit(0); k >= 0; k = gdtDirty.nextSetBit(k + 1)) {
            byte[] blk = java.util.Arrays.copyOfRange(gd.table(), k * bs, (k + 1) * bs);
            writeBlock(sb.gdtStart() + k, blk);
        }
        sb.freeBlocks((fs.allocator().freeUnits() + fs.allocator().pendingUnits()) * cpc);
        sb.freeInodes(sb.inodesCount() - inodeUsed.cardinality());
        sb.wtime(System.currentTimeMillis() / 1000);
        long sbBlock = bs == 1024 ? 1 : 0;
        byte[] blk = readBlock(sbBlock);
        System.arraycopy(sb.encode(), 0, blk, bs == 1024 ? 0 : 1024, Ext4Super.SIZE);
        writeBlock(sbBlock, blk);
        sink.commit(true);
        cache.clear();
        fs.allocator().commit();
        dirtyGroups.clear();
    }

    List<Long> dirClusters(DirLayout d) {
        return Ext4DirBlocks.clusters(d, cpc);
    }

    List<Extent> dirExtents(DirLayout d) {
        return Ext4DirBlocks.extents(d);
    }

    /** mke2fs gives lost+found 16 KiB up front, so e2fsck can reconnect files without allocating. */
    void growDir(long ino, int blocks) {
        DirLayout d = nodes.get(ino).dir;
        while (d.blocks().size() < blocks) {
            d.blocks().add(new DirLayout.Block());
        }
        dirty(ino);
    }

    void noteOrphan(long ino) {
        orphans.add(ino);
    }

    void setOrphanChain(List<Long> chain) {
        orphanChain = chain;
    }
}
