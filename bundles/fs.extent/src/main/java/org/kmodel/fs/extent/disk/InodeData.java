package org.kmodel.fs.extent.disk;

import java.util.TreeMap;
import org.kmodel.fs.extent.Fallocator;
import org.kmodel.fs.extent.FileData;

/**
 * The durable part of one inode (struct ext4_inode / struct xfs_dinode): attributes, and by type the block
 * map and size (regular files), the entries (directories) or the target (symbolic links).
 */
final class InodeData {
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;

    final long ino;
    int mode;
    int nlink;
    int uid;
    int gid;
    long rdev;
    long atime;
    long mtime;
    long ctime;
    int flags;
    /** Directories: name to inode number, sorted (htree/xfs dir2 order does not matter to the model). */
    TreeMap<String, Long> entries;
    /** Symbolic links. */
    String target;
    /** Regular files. */
    FileData data;

    Fallocator fallocator;
    /**
     * Delayed allocation: logical clusters reserved by write_begin for dirty pages not yet written back.
     * stat counts them (ext4_getattr adds i_reserved_data_blocks, xfs adds i_delayed_blks); not persisted.
     */
    final java.util.TreeSet<Long> delalloc = new java.util.TreeSet<>();
    /**
     * The part of {@link #delalloc} that only the page granularity of {@code ->write_begin} reserved (blocks
     * smaller than a page): the kernel reserves the blocks of the write's byte range
     * (xfs_buffered_write_iomap_begin), which the model does not know, so the page's other fresh blocks are
     * held here until the preallocation covers them or writeback shows which ones the write dirtied.
     */
    final java.util.TreeSet<Long> pageOnly = new java.util.TreeSet<>();
    /** xfs: XFS_DIFLAG_PREALLOC, set by fallocate (kept in memory only: the model's xfs inode format has no flags). */
    boolean xfsPreallocFlag;
    /** xfs: XFS_ITRUNCATED, set by a truncate to a size not above the old one, taken by the next release. */
    boolean xfsTruncated;
    /** xfs: XFS_EOFBLOCKS_RELEASED, set when a release freed post-EOF blocks: later releases keep them. */
    boolean xfsEofReleased;
    /** xfs: the page of the write(2) call in progress ({@link XfsPrealloc}), -1 between calls. */
    long xfsWritePage = -1;
    /** xfs: {offset_fsb, prealloc blocks} of the call's mapping past EOF, or null. */
    long[] xfsPending;
    /** xfs: pages passed through write_begin since their last writeback (written by the user, zeros or not). */
    final java.util.TreeSet<Long> xfsDirtied = new java.util.TreeSet<>();
    /**
     * Pages a write dirtied past the on-disk size ({@link FileData#diskSize()}) and not yet written back: a size
     * logged by a truncate or fallocate waits until none lies below it. In memory only, as the page cache.
     */
    final java.util.TreeSet<Long> pastDiskSize = new java.util.TreeSet<>();

    /** The first byte of the first page still waiting for writeback past the on-disk size. */
    long firstPendingByte() {
        return pastDiskSize.isEmpty() ? Long.MAX_VALUE : pastDiskSize.first() * DiskInode.PAGE_SIZE;
    }

    /**
     * Writeback of every dirty page of this file has finished (fsync, sync, umount): nothing waits any more, so
     * the on-disk size is the size. Returns whether it changed.
     */
    boolean allWrittenBack() {
        pastDiskSize.clear();
        return data != null && data.settleDiskSize(data.size(), Long.MAX_VALUE);
    }

    InodeData(long ino, int mode) {
        this.ino = ino;
        this.mode = mode;
    }

    boolean isDir() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    boolean isReg() {
        return (mode & S_IFMT) == S_IFREG;
    }

    boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    long size() {
        if (data != null) {
            return data.size();
        }
        if (isSymlink()) {
            return target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return 0;
    }
}
