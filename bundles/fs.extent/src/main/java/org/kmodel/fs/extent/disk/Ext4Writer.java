package org.kmodel.fs.extent.disk;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.kmodel.fs.extent.Extent;
import org.kmodel.fs.extent.ext4.Crc32c;
import org.kmodel.fs.extent.ext4.DirLayout;
import org.kmodel.fs.extent.ext4.Ext4Inode;
import org.kmodel.fs.extent.ext4.ExtentTreeWriter;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * One commit's encoders for the ext4 store: an inode's on-disk image (ext4_do_update_inode), with its
 * extent tree, directory blocks or symlink block written first; a group's bitmaps and descriptor
 * (ext4_mb_mark_diskspace_used / ext4_free_blocks + ext4_group_desc_csum_set).
 */
final class Ext4Writer implements ExtentTreeWriter.Blocks {
    private final Ext4Store st;
    private final DiskSuperBlock fs;
    private final int bs;
    private final int cpc;

    Ext4Writer(Ext4Store st, DiskSuperBlock fs) {
        this.st = st;
        this.fs = fs;
        this.bs = st.bs;
        this.cpc = st.cpc;
    }

    // ---- ExtentTreeWriter.Blocks ------------------------------------------------------------------

    @Override
    public long allocate(long goal) {
        // a metadata allocation: it may use the units data allocations left for it (Ext4Store.metadataFloor)
        long[] r = fs.allocator().allocateMetadata(1, goal / cpc);
        if (r == null) {
            throw new KernelException(Errno.ENOSPC, "no space for metadata");
        }
        return r[0] * cpc;
    }

    @Override
    public void free(long pblk) {
        fs.allocator().release(pblk / cpc, 1);
        st.revoke(pblk);
    }

    @Override
    public void write(long pblk, byte[] image) {
        st.cacheAndLog(pblk, image);
    }

    // ---- inodes -----------------------------------------------------------------------------------

    byte[] deleted(long ino, Ext4Node n) {
        Ext4Inode raw = n.raw;
        raw.links(0);
        raw.dtime(System.currentTimeMillis() / 1000);
        raw.blocks512(0);
        raw.size(0);
        // ext4_evict_inode truncates first: an extent-mapped inode is left with an empty root
        raw.iblock((raw.flags() & Ext4Inode.EXTENTS_FL) != 0 ? emptyRoot() : new byte[Ext4Inode.I_BLOCK_LEN]);
        if (st.csum) {
            raw.seal(st.seed, ino);
        }
        return raw.raw().clone();
    }

    private static byte[] emptyRoot() {
        return ExtentTreeWriter.write(List.of(), new ExtentTreeWriter.State(), 4096, 0, false, null, 0);
    }

    byte[] inode(InodeData i, Ext4Node n, long nextOrphan) {
        Ext4Inode raw = n.raw;
        raw.mode(i.mode);
        raw.uid(i.uid);
        raw.gid(i.gid);
        raw.links(i.nlink);
        raw.atime(i.atime);
        raw.mtime(i.mtime);
        raw.ctime(i.ctime);
        if (raw.extraIsize() >= 0x98 - 128 && Le32.zero(raw.raw(), 0x90)) {
            raw.crtime(i.ctime);
        }
        // an orphan's i_dtime links the next orphan (the s_last_orphan chain, ext4_orphan_add)
        raw.dtime(nextOrphan);
        int seedI = Ext4Inode.inodeSeed(st.seed, i.ino, raw.generation());
        int flags = i.flags & Ext4Inode.USER_FLAGS;
        long cs512 = (long) bs * cpc / 512;
        // an external xattr block (host-made: kmodel has no xattr API) stays the inode's and counts in
        // i_blocks, as ext4_xattr_block_set charges it (e2fsck checks i_blocks against it)
        long xattr512 = raw.fileAcl() != 0 ? cs512 : 0;
        if (i.isReg()) {
            List<Extent> ext = i.data.map().all();
            raw.iblock(ExtentTreeWriter.write(ext, n.tree, bs, seedI, st.csum, this, goal(ext)));
            raw.size(i.data.diskSize()); // i_disksize: what writeback put on disk (ext4_do_update_inode)
            raw.blocks512(i.data.stBlocks() + n.tree.count() * cs512 + xattr512);
            flags |= Ext4Inode.EXTENTS_FL;
        } else if (i.isDir()) {
            DirLayout d = n.dir;
            List<DirLayout.Block> bl = d.blocks();
            for (int k = 0; k < bl.size(); k++) {
                DirLayout.Block b = bl.get(k);
                if (b.pblk() < 0) {
                    long prev = k > 0 ? bl.get(k - 1).pblk() : -1;
                    if (cpc > 1 && prev >= 0 && (prev + 1) % cpc != 0 && k % cpc != 0) {
                        b.pblk(prev + 1);
                    } else {
                        b.pblk(allocate(prev >= 0 ? prev + 1 : st.gd.inodeTable((i.ino - 1) / st.ipg)) + k % cpc);
                    }
                }
                if (b.dirty()) {
                    st.cacheAndLog(b.pblk(), d.encode(k, seedI));
                    b.clean();
                }
            }
            List<Extent> ext = st.dirExtents(d);
            raw.iblock(ExtentTreeWriter.write(ext, n.tree, bs, seedI, st.csum, this, goal(ext)));
            raw.size((long) bl.size() * bs);
            raw.blocks512((st.dirClusters(d).size() + n.tree.count()) * cs512 + xattr512);
            flags |= Ext4Inode.EXTENTS_FL;
            if (n.htree) {
                // an htree directory from a host image whose blocks kmodel has not changed (only its inode:
                // mode, owner, times) keeps EXT4_INDEX_FL: its dx_root/dx_node blocks are still on disk intact
                flags |= Ext4Inode.INDEX_FL;
            }
        } else if (i.isSymlink()) {
            byte[] t = i.target.getBytes(StandardCharsets.UTF_8);
            raw.size(t.length);
            if (t.length < Ext4Inode.I_BLOCK_LEN && n.symlinkBlock < 0) {
                raw.iblock(t); // a fast symlink: the target in i_block, no blocks, no extents flag
                raw.blocks512(xattr512);
            } else {
                if (n.symlinkBlock < 0) {
                    n.symlinkBlock = allocate(st.gd.inodeTable((i.ino - 1) / st.ipg));
                }
                byte[] blk = new byte[bs];
                System.arraycopy(t, 0, blk, 0, Math.min(t.length, bs));
                st.cacheAndLog(n.symlinkBlock, blk);
                List<Extent> ext = List.of(new Extent(0, 1, n.symlinkBlock, false));
                raw.iblock(ExtentTreeWriter.write(ext, n.tree, bs, seedI, st.csum, this, 0));
                raw.blocks512(cs512 + xattr512);
                flags |= Ext4Inode.EXTENTS_FL;
            }
        } else {
            raw.iblock(devBlock(i.rdev));
            raw.size(0);
            raw.blocks512(xattr512);
        }
        raw.flags(flags);
        if (st.csum) {
            raw.seal(st.seed, i.ino);
        }
        return raw.raw().clone();
    }

    private long goal(List<Extent> ext) {
        return ext.isEmpty() ? fs.allocator().firstUnit() * cpc : ext.get(0).pblk();
    }

    /** Device numbers in i_block (ext4_do_update_inode: old_encode_dev when it fits, else new_encode_dev). */
    static byte[] devBlock(long rdev) {
        long major = (rdev >>> 8) & 0xFFF;
        long minor = (rdev & 0xFF) | ((rdev >>> 12) & 0xFFF00);
        byte[] b = new byte[Ext4Inode.I_BLOCK_LEN];
        if (major < 256 && minor < 256) {
            Le32.put(b, 0, major << 8 | minor);
        } else {
            Le32.put(b, 4, (minor & 0xFF) | (major << 8) | ((minor & ~0xFFL) << 12));
        }
        return b;
    }

    // ---- groups -------------------------------------------------------------------------------------

    void group(int g) {
        long cpg = st.sb.clustersPerGroup();
        byte[] bbm = st.blockBitmaps[g].clone();
        long free = cpg;
        for (int k = 0; k < cpg / 8; k++) {
            free -= Integer.bitCount(bbm[k] & 0xFF);
        }
        byte[] ibm = new byte[bs];
        long base = (long) g * st.ipg;
        java.util.BitSet in = st.inodeUsed.get((int) base, (int) (base + st.ipg));
        byte[] bits = in.toByteArray();
        System.arraycopy(bits, 0, ibm, 0, bits.length);
        for (long k = st.ipg; k < 8L * bs; k++) {
            ibm[(int) (k >>> 3)] |= (byte) (1 << (k & 7)); // padding past the group's inodes
        }
        long usedInodes = in.cardinality();
        long highest = in.length() - 1;
        var gd = st.gd;
        gd.flags(
                g,
                gd.flags(g)
                        & ~(org.kmodel.fs.extent.ext4.GroupDescs.BG_BLOCK_UNINIT
                                | org.kmodel.fs.extent.ext4.GroupDescs.BG_INODE_UNINIT));
        gd.freeClusters(g, free);
        gd.freeInodes(g, st.ipg - usedInodes);
        gd.usedDirs(g, st.usedDirs[g]);
        gd.itableUnused(g, Math.min(gd.itableUnused(g), st.ipg - (highest + 1)));
        if (st.csum) {
            gd.bitmapChecksums(g, Crc32c.update(st.seed, bbm, 0, (int) (cpg / 8)), Crc32c.update(st.seed, ibm, 0, (int)
                    (st.ipg / 8)));
            gd.seal(g);
        }
        st.cacheAndLog(gd.blockBitmap(g), bbm);
        st.cacheAndLog(gd.inodeBitmap(g), ibm);
    }

    /** Little-endian helpers local to the writer. */
    static final class Le32 {
        private Le32() {}

        static void put(byte[] b, int off, long v) {
            org.kmodel.fs.extent.ext4.Le.put32(b, off, v);
        }

        static boolean zero(byte[] b, int off) {
            return org.kmodel.fs.extent.ext4.Le.u32(b, off) == 0;
        }
    }
}
