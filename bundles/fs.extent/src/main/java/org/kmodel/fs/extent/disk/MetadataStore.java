package org.kmodel.fs.extent.disk;

/**
 * How a mounted filesystem's metadata reaches the disk. The in-memory model (inodes, extent treaps,
 * directories, the free-space allocator) is the same for every format; a store is told what changed and
 * writes it at commit. {@link DeltaLogStore}: kmodel's own format, a checkpoint plus a delta log (xfs, and
 * ext4 images made by earlier kmodel versions); {@link Ext4Store}: the real ext4 layout, writing only the
 * blocks that changed.
 */
interface MetadataStore {
    /** Makes every change durable (ordered: data flushed first). */
    void commit();

    /** umount: after the last commit (ext4: checkpoint the journal, clear needs_recovery). */
    default void finish() {}

    /** The running transaction is as large as it should get: commit now. */
    default boolean wantsCommit() {
        return false;
    }

    /**
     * Before an operation changes anything: the metadata can grow by up to {@code bytes} of this format's
     * encoding, or ENOSPC with {@code op} named (xfs_trans_reserve: the log space is reserved when the
     * transaction starts, so nothing reported successful fails at commit). Formats whose metadata lives in
     * allocated blocks (ext4) check their blocks elsewhere.
     */
    default void reserve(long bytes, String op) {}

    /** A free inode number for a new inode of {@code mode}. */
    long allocateIno(int mode);

    /** A new inode (its number came from {@link #allocateIno}); {@code parent} for directories. */
    default void created(InodeData i, long parent) {}

    /** The inode is gone (its blocks were already released to the allocator). */
    default void freed(InodeData i) {}

    /** Attributes, size or block map of the inode changed. */
    default void dirty(long ino) {}

    default void dirAdd(InodeData dir, String name, InodeData child) {}

    default void dirRemove(InodeData dir, String name) {}

    /** A directory moved under another parent: its ".." changes. */
    default void reparent(InodeData dir, long parent) {}

    /** Blocks the format spends on the inode's block map (ext4 extent tree blocks), in 512-byte units. */
    default long mapOverhead512(InodeData i) {
        return 0;
    }

    /** Blocks of a directory in 512-byte units (st_blocks). */
    long dirBlocks512(InodeData dir);

    /** A directory's st_size where the format defines it by its blocks (ext4), or -1 for the inode's own size. */
    default long dirBytes(InodeData dir) {
        return -1;
    }

    /** Total inodes (statfs f_files). */
    long inodeTotal();
}
