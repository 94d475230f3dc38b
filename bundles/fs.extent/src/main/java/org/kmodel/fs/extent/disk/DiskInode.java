package org.kmodel.fs.extent.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kmodel.fs.extent.Extent;
import org.kmodel.fs.extent.FileData;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.InodeAttr;

/**
 * The VFS's view of one ext4/xfs inode (fs/ext4/namei.c + inode.c, fs/xfs/xfs_iops.c + xfs_aops.c): a thin
 * handle that looks the durable {@link InodeData} up by number, so handles stay valid across renames and
 * the VFS may hold several.
 */
public final class DiskInode implements Inode {
    /** The VFS page size; page-granular I/O maps pages onto blocks of any size. */
    public static final int PAGE_SIZE = org.kmodel.kernel.Arch.PAGE_SIZE;

    private final DiskSuperBlock sb;
    private final long ino;

    DiskInode(DiskSuperBlock sb, long ino) {
        this.sb = sb;
        this.ino = ino;
    }

    private InodeData d() {
        return sb.inode(ino);
    }

    private static long now() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    @Override
    public long ino() {
        return ino;
    }

    @Override
    public InodeAttr getattr() {
        InodeData i = d();
        // ext4 counts its extent-tree blocks too (a whole cluster each on bigalloc), ext4_getattr/i_blocks
        long blocks = i.data != null
                ? i.data.stBlocks()
                        + sb.store().mapOverhead512(i)
                        + (long) i.delalloc.size() * (sb.profile().clusterSize() / 512)
                : (i.isDir() ? sb.store().dirBlocks512(i) : sb.store().mapOverhead512(i));
        // an ext4 directory's i_size is the bytes of its directory blocks (ext4_init_new_dir / ext4_append give a
        // new directory one block), never 0
        long dirBytes = i.isDir() ? sb.store().dirBytes(i) : -1;
        long size = dirBytes >= 0 ? dirBytes : i.size();
        return new InodeAttr(i.mode, i.nlink, i.uid, i.gid, i.rdev, size, blocks, i.atime, i.mtime, i.ctime, i.flags);
    }

    @Override
    public void release(boolean writable) {
        if (XfsPrealloc.applies(sb)) {
            XfsPrealloc.release(sb, d(), writable);
        }
    }

    @Override
    public boolean flushBeforeRelease() {
        return XfsPrealloc.applies(sb) && XfsPrealloc.flushBeforeRelease(d());
    }

    @Override
    public void setattr(AttrChange c) {
        InodeData i = d();
        if (c.size() != null) {
            if (i.data == null) {
                throw new KernelException(i.isDir() ? Errno.EISDIR : Errno.EINVAL, "truncate");
            }
            sb.reserveMetaPieces(0, "truncate"); // a cut inside an extent, a free run
            long oldSize = i.data.size();
            i.data.truncate(c.size(), Long.MAX_VALUE);
            // The VFS dropped the cached pages past the new size: their reservations go with them. A size that
            // grows keeps what lies past the old EOF (xfs_setattr_size/ext4_setattr truncate only when the
            // size does not grow), so xfs's speculative reservations stay.
            if (c.size() <= oldSize) {
                Delalloc.releaseBeyond(sb, i, c.size());
                i.xfsTruncated = XfsPrealloc.applies(sb); // xfs_setattr_size: XFS_ITRUNCATED
            }
            i.xfsDirtied.tailSet((c.size() + PAGE_SIZE - 1) / PAGE_SIZE).clear();
            i.pastDiskSize.tailSet((c.size() + PAGE_SIZE - 1) / PAGE_SIZE).clear();
            i.data.settleDiskSize(0, i.firstPendingByte());
        }
        if (XfsPrealloc.applies(sb)) {
            XfsPrealloc.endCall(i); // file_update_time at the end of a write(2), or any other change
        }
        if (c.mode() != null) {
            i.mode = (i.mode & InodeData.S_IFMT) | (c.mode() & 07777);
        }
        if (c.uid() != null) {
            i.uid = c.uid();
        }
        if (c.gid() != null) {
            i.gid = c.gid();
        }
        if (c.atime() != null) {
            i.atime = c.atime();
        }
        if (c.mtime() != null) {
            i.mtime = c.mtime();
        }
        if (c.ctime() != null) {
            i.ctime = c.ctime();
        }
        if (c.flags() != null) {
            i.flags = c.flags();
        }
        sb.touched(ino);
    }

    // ---- directories ---------------------------------------------------------------------------

    private InodeData dir() {
        InodeData i = d();
        if (!i.isDir()) {
            throw new KernelException(Errno.ENOTDIR, "directory operation");
        }
        return i;
    }

    @Override
    public Inode lookup(String name) {
        Long child = dir().entries.get(name);
        return child == null ? null : new DiskInode(sb, child);
    }

    @Override
    public Inode create(String name, int mode, long rdev) {
        InodeData dir = dir();
        if (dir.entries.containsKey(name)) {
            throw new KernelException(Errno.EEXIST, "create");
        }
        sb.reserveMeta(NEW_INODE + entryBytes(name), "create");
        long t = now();
        InodeData child = sb.newInode(sb.allocateIno(mode), mode, t, dir.ino);
        child.rdev = rdev;
        if (child.isDir()) {
            child.nlink = 2;
            dir.nlink++;
        }
        sb.dirAdd(dir, name, child);
        dir.mtime = t;
        dir.ctime = t;
        sb.touched(child.ino);
        return new DiskInode(sb, child.ino);
    }

    @Override
    public Inode symlink(String name, String target) {
        InodeData dir = dir();
        if (dir.entries.containsKey(name)) {
            throw new KernelException(Errno.EEXIST, "symlink");
        }
        checkSymlinkLength(sb.profile(), target);
        sb.reserveMeta(NEW_INODE + entryBytes(name) + 3L * target.length(), "symlink");
        InodeData child = sb.newInode(sb.allocateIno(InodeData.S_IFLNK), InodeData.S_IFLNK | 0777, now(), dir.ino);
        child.target = target;
        sb.dirAdd(dir, name, child);
        sb.touched(child.ino);
        return new DiskInode(sb, child.ino);
    }

    /**
     * The filesystem's own limit on a link target, checked before anything changes, so that no target ever
     * reaches a commit that could not store it: ext4_symlink refuses a target whose length plus the NUL exceeds
     * the block size, xfs_symlink one of XFS_SYMLINK_MAXLEN (1024) bytes or more. Both ENAMETOOLONG.
     */
    static void checkSymlinkLength(org.kmodel.fs.extent.FsProfile p, String target) {
        int len = target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        boolean tooLong = "xfs".equals(p.type()) ? len >= 1024 : len + 1 > p.blockSize();
        if (tooLong) {
            throw new KernelException(Errno.ENAMETOOLONG, "symlink");
        }
    }

    @Override
    public void link(String name, Inode target) {
        InodeData dir = dir();
        InodeData t = sb.inode(target.ino());
        if (dir.entries.containsKey(name)) {
            throw new KernelException(Errno.EEXIST, "link");
        }
        sb.reserveMeta(entryBytes(name), "link");
        sb.dirAdd(dir, name, t);
        t.nlink++;
        t.ctime = now();
        sb.touched(t.ino);
    }

    @Override
    public void unlink(String name) {
        InodeData dir = dir();
        Long child = dir.entries.get(name);
        if (child == null) {
            throw new KernelException(Errno.ENOENT, "unlink");
        }
        InodeData c = sb.inode(child);
        if (c.isDir()) {
            throw new KernelException(Errno.EISDIR, "unlink");
        }
        sb.dirRemove(dir, name);
        c.nlink--;
        c.ctime = now();
        dir.mtime = c.ctime;
        dir.ctime = c.ctime;
        sb.touched(c.ino);
    }

    @Override
    public void rmdir(String name) {
        InodeData dir = dir();
        Long child = dir.entries.get(name);
        if (child == null) {
            throw new KernelException(Errno.ENOENT, "rmdir");
        }
        InodeData c = sb.inode(child);
        if (!c.isDir()) {
            throw new KernelException(Errno.ENOTDIR, "rmdir");
        }
        if (!c.entries.isEmpty()) {
            throw new KernelException(Errno.ENOTEMPTY, "rmdir");
        }
        sb.dirRemove(dir, name);
        dir.nlink--;
        sb.freeInode(c);
        sb.touched(dir.ino);
    }

    @Override
    public void rename(String oldName, Inode newDir, String newName) {
        InodeData from = dir();
        InodeData to = sb.inode(newDir.ino());
        Long moving = from.entries.get(oldName);
        if (moving == null) {
            throw new KernelException(Errno.ENOENT, "rename");
        }
        InodeData m = sb.inode(moving);
        Long replaced = to.entries.get(newName);
        if (replaced != null && replaced.longValue() == moving.longValue()) {
            return;
        }
        if (replaced != null
                && sb.inode(replaced).isDir()
                && !sb.inode(replaced).entries.isEmpty()) {
            throw new KernelException(Errno.ENOTEMPTY, "rename");
        }
        sb.reserveMeta(entryBytes(newName), "rename");
        if (replaced != null) {
            InodeData r = sb.inode(replaced);
            if (r.isDir()) {
                sb.dirRemove(to, newName);
                to.nlink--;
                sb.freeInode(r);
            } else {
                sb.dirRemove(to, newName);
                r.nlink--;
                sb.store().dirty(r.ino);
            }
        }
        sb.dirRemove(from, oldName);
        sb.dirAdd(to, newName, m);
        if (m.isDir() && from != to) {
            from.nlink--;
            to.nlink++;
            sb.reparent(m, to.ino);
        }
        sb.touched(from.ino);
        sb.touched(to.ino);
    }

    @Override
    public List<DirEntry> readdir() {
        List<DirEntry> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : dir().entries.entrySet()) {
            out.add(new DirEntry(e.getKey(), e.getValue(), FileType.of(sb.inode(e.getValue()).mode)));
        }
        return out;
    }

    @Override
    public String readlink() {
        InodeData i = d();
        if (!i.isSymlink()) {
            throw new KernelException(Errno.EINVAL, "readlink");
        }
        return i.target;
    }

    // ---- data -------------------------------------------------------------------------------------

    private FileData data() {
        InodeData i = d();
        if (i.data == null) {
            throw new KernelException(i.isDir() ? Errno.EISDIR : Errno.EINVAL, "data operation");
        }
        return i.data;
    }

    @Override
    public void readPage(long index, byte[] page) {
        FileData f = data();
        java.util.Arrays.fill(page, (byte) 0);
        f.read(index * PAGE_SIZE, page, 0, PAGE_SIZE);
    }

    @Override
    public void writeBegin(long index) {
        InodeData i = d();
        if (i.data != null) {
            // writing into preallocated (unwritten) blocks splits their extent at writeback
            int bs = i.data.blockSize();
            for (Extent e :
                    i.data.map().overlapping(index * PAGE_SIZE / bs, Delalloc.ceilDiv((index + 1) * PAGE_SIZE, bs))) {
                if (e.unwritten()) {
                    sb.reserveMetaPieces(0, "write");
                    break;
                }
            }
        }
        if (XfsPrealloc.applies(sb)) {
            XfsPrealloc.writeBegin(sb, i, index);
            i.xfsDirtied.add(index);
        }
        Delalloc.reserve(sb, i, index * PAGE_SIZE, PAGE_SIZE);
        if (i.data != null && (index + 1) * PAGE_SIZE > i.data.diskSize()) {
            i.pastDiskSize.add(index); // ext4_da_write_end / iomap: i_size moves, the on-disk size waits
        }
    }

    @Override
    public void writePage(long index, byte[] page, int length) {
        FileData f = data();
        int bs = f.blockSize();
        long pos = index * PAGE_SIZE;
        int stored = 0;
        boolean xfs = XfsPrealloc.applies(sb);
        List<Long> dirtyDelalloc = new ArrayList<>();
        // Store block by block: an all-zero block over a hole or unwritten extent was never dirtied by the
        // user (the kernel tracks that per buffer head), so it keeps its state instead of being allocated.
        for (int off = 0; off < length; off += Math.min(bs, PAGE_SIZE)) {
            int n = Math.min(Math.min(bs, PAGE_SIZE), length - off);
            long b = (pos + off) / bs;
            Extent e = f.map().lookup(b);
            // xfs with page-sized blocks: a page that went through write_begin was written by the user (zeros
            // too); its block is allocated (xfs_bmapi_convert_delalloc) or converted from unwritten at I/O end
            boolean userWrote =
                    bs >= PAGE_SIZE && XfsPrealloc.applies(sb) && d().xfsDirtied.contains(index);
            if ((e == null || e.unwritten()) && allZero(page, off, n) && !userWrote) {
                continue;
            }
            if (xfs && e == null && d().delalloc.contains(b)) {
                dirtyDelalloc.add(b);
            }
            f.write(pos + off, page, off, n, Long.MAX_VALUE);
            stored += n;
        }
        if (xfs && bs < PAGE_SIZE) {
            releaseWrittenBack(d(), pos / bs, (pos + PAGE_SIZE) / bs);
        } else {
            Delalloc.releaseTouching(sb, d(), pos, pos + PAGE_SIZE);
        }
        // the on-disk size covers what writeback wrote (zeros over a hole included: they read back as zeros)
        d().pastDiskSize.remove(index);
        boolean sizeMoved = f.settleDiskSize(pos + length, d().firstPendingByte());
        if (XfsPrealloc.applies(sb)) {
            d().xfsDirtied.remove(index);
            XfsPrealloc.afterWriteback(sb, d(), dirtyDelalloc);
        }
        if (stored > 0 || sizeMoved) {
            sb.touched(ino);
        }
    }

    /**
     * xfs with blocks smaller than a page, after the writeback of the page holding blocks [first, end): the
     * reservations of the blocks it mapped are spent, and those that only the page granularity of
     * {@code ->write_begin} made and the page did not dirty go (the kernel never reserved them). The page's
     * other delalloc blocks stay reserved: a preallocation or an earlier write reserved them in the kernel too,
     * and only the conversion of their delalloc extent maps them (fs/iomap/buffered-io.c writes back the
     * folio's dirty blocks only, by its per-block dirty state).
     */
    private void releaseWrittenBack(InodeData i, long first, long end) {
        for (long b = first; b < end; b++) {
            if (i.delalloc.contains(b)
                    && (i.pageOnly.contains(b) || i.data.map().lookup(b) != null)) {
                i.delalloc.remove(b);
                i.pageOnly.remove(b);
                sb.reserve(-1);
            }
        }
    }

    private static boolean allZero(byte[] b, int off, int n) {
        for (int k = off; k < off + n; k++) {
            if (b[k] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void extendSize(long newSize) {
        FileData f = data();
        if (newSize > f.size()) {
            f.extendTo(newSize);
            if (XfsPrealloc.applies(sb)) {
                XfsPrealloc.extendSize(sb, d(), newSize);
            }
            sb.touched(ino);
        }
    }

    @Override
    public List<FiemapExtent> mapExtents(long start, long length) {
        FileData f = data();
        int bs = f.blockSize();
        long end = length > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + length;
        List<Extent> all = f.map().overlapping(start / bs, end / bs + 1);
        Extent last = f.map().last();
        List<FiemapExtent> out = new ArrayList<>(all.size());
        for (Extent e : all) {
            if (e.lblk() * bs >= end || e.end() * bs <= start) {
                continue;
            }
            int flags = (e.unwritten() ? FiemapExtent.UNWRITTEN : 0)
                    | (last != null && e.lblk() == last.lblk() ? FiemapExtent.LAST : 0);
            out.add(new FiemapExtent(e.lblk() * bs, e.pblk() * bs, e.len() * bs, flags));
        }
        return out;
    }

    /** An inode record in kmodel's checkpoint: header, size and extent count (or entry count), rounded up. */
    static final long NEW_INODE = 96;

    /** A directory entry in kmodel's checkpoint: modified UTF-8 name (3 bytes a char at most) and inode. */
    static long entryBytes(String name) {
        return 12 + 3L * name.length();
    }

    @Override
    public void fallocateCheck(FallocateRequest r) {
        try {
            d().fallocator.check(r.mode(), r.offset(), r.length(), r.rlimitFsize());
        } catch (KernelException e) {
            // ext4 traces before some of these checks (collapse, the allocation's inode_newsize_ok): the
            // events a real failing call shows come out here; xfs checks before its helpers, so none
            sb.trace()
                    .checkFailed(
                            sb.deviceNumber(),
                            ino,
                            r.mode(),
                            r.offset(),
                            r.length(),
                            sb.profile().blockSize(),
                            -e.errno().number());
            throw e;
        }
    }

    @Override
    public void fallocate(FallocateRequest r) {
        InodeData i = d();
        FsTrace t = sb.trace();
        long dev = sb.deviceNumber();
        int bs = sb.profile().blockSize();
        t.start(dev, ino, r.mode(), r.offset(), r.length(), bs);
        try {
            // modes that allocate may add one extent per free run they draw from; the others split at most
            // two extents and free one range. Reserved before anything changes (xfs_trans_reserve comes first).
            boolean allocates = (r.mode() & (0x02 | 0x08 | 0x20)) == 0; // not PUNCH, COLLAPSE, INSERT
            int cs = sb.profile().clusterSize();
            sb.reserveMetaPieces(allocates ? Delalloc.ceilDiv(r.length(), cs) + 1 : 0, "fallocate");
        } catch (KernelException e) {
            t.end(dev, ino, r.mode(), r.offset(), r.length(), bs, -e.errno().number());
            throw e;
        }
        boolean xfs = XfsPrealloc.applies(sb);
        int op = org.kmodel.vfs.FallocateMode.operation(r.mode());
        if (xfs) {
            XfsPrealloc.endCall(i);
            if (op == org.kmodel.vfs.FallocateMode.ZERO_RANGE && i.data != null) {
                // xfs_falloc_zero_range: xfs_free_file_space unmaps the whole blocks of the range first, then
                // xfs_alloc_file_space allocates them again, unwritten, elsewhere (the freed extents are busy
                // until the log commits), so zeroing breaks the physical contiguity the preallocation size
                // looks at (xfs_iomap_prealloc_size)
                i.data.mapper().free(Delalloc.ceilDiv(r.offset(), bs), r.end() / bs, false);
            }
            if (op == org.kmodel.vfs.FallocateMode.INSERT_RANGE) {
                // xfs_falloc_insert_range grows the size first, then xfs_prepare_shift frees the post-EOF blocks
                XfsPrealloc.freeEofBlocks(sb, i, i.size() + r.length());
            }
        }
        try {
            org.kmodel.fs.extent.ExtentFunctions.fallocate(
                    sb.profile().type(), i.fallocator, r.mode(), r.offset(), r.length(), r.rlimitFsize());
            if (xfs && op == org.kmodel.vfs.FallocateMode.INSERT_RANGE) {
                Delalloc.shift(sb, i, r.offset() / bs, r.length() / bs);
            } else if (xfs && op == org.kmodel.vfs.FallocateMode.COLLAPSE_RANGE) {
                Delalloc.shift(sb, i, r.end() / bs, -(r.length() / bs));
            }
            if (xfs) {
                XfsPrealloc.fallocated(i, r.mode());
                if (op == org.kmodel.vfs.FallocateMode.PUNCH_HOLE) {
                    // xfs_free_file_space unmaps the whole blocks of the range, delalloc ones included
                    Delalloc.dropRange(sb, i, Delalloc.ceilDiv(r.offset(), bs), r.end() / bs);
                } else if (op == org.kmodel.vfs.FallocateMode.COLLAPSE_RANGE) {
                    // the final xfs_setattr_size to the smaller size frees every post-EOF block
                    Delalloc.releaseBeyond(sb, i, i.size());
                }
            }
            t.end(dev, ino, r.mode(), r.offset(), r.length(), bs, 0);
        } catch (KernelException e) {
            t.end(dev, ino, r.mode(), r.offset(), r.length(), bs, -e.errno().number());
            throw e;
        } finally {
            Delalloc.dropMapped(sb, i, r.offset(), r.end());
            if (i.data != null) {
                // the VFS dropped the pages past a smaller size; collapse/insert wrote back every page from the
                // offset on first (xfs_flush_unmap_range), so none waits there
                i.pastDiskSize
                        .tailSet((i.data.size() + PAGE_SIZE - 1) / PAGE_SIZE)
                        .clear();
                i.data.settleDiskSize(0, i.firstPendingByte());
            }
            sb.touched(ino);
        }
    }

    @Override
    public void fsync() {
        // the VFS wrote back every dirty page of the file first (vfs_fsync_range): the size it has is on disk now
        if (d().allWrittenBack()) {
            sb.touched(ino);
        }
        sb.commit();
    }

    @Override
    public void evict() {
        InodeData i = sb.inode(ino);
        if (i.nlink == 0) {
            Delalloc.releaseBeyond(sb, i, 0);
            sb.freeInode(i);
            sb.touched();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiskInode other && other.sb == sb && other.ino == ino;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ino);
    }
}
