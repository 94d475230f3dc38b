package org.kmodel.fs.extent;

/**
 * The visible rules in which ext4 and xfs differ (docs/fs-ext4-xfs.md#where-ext4-and-xfs-differ), plus geometry. One profile per
 * mounted filesystem; the shared engine consults it instead of duplicating the code per filesystem.
 *
 * @param type                  "ext4" or "xfs"
 * @param magic                 statfs f_type (EXT4_SUPER_MAGIC 0xEF53, XFS_SUPER_MAGIC 0x58465342)
 * @param blockSize             s_blocksize
 * @param clusterSize           the allocation unit: the block size, or the ext4 bigalloc cluster
 * @param maxWrittenLen         longest written extent in blocks
 * @param maxUnwrittenLen       longest unwritten extent in blocks
 * @param maxBytes              s_maxbytes
 * @param collapseFreesPostEof  xfs: collapse ends with a size change that frees every block past EOF
 * @param punchAtEofIsNoop      ext4_punch_hole returns early when offset &gt;= i_size (prealloc survives)
 * @param punchRoundsUpEofBlock ext4 rounds a punch that crosses EOF up to the block end, freeing the EOF block
 * @param insertChecksRlimit    xfs sets the new size via setattr, which checks RLIMIT_FSIZE (ext4 does not)
 * @param enospcKeepsPartial    ext4 keeps what it allocated before ENOSPC; xfs allocates all or nothing
 * @param unshareRange          xfs implements UNSHARE_RANGE (as allocation without reflink)
 * @param rootIno               the root directory's inode number (ext4 2, xfs 128 on a default mkfs)
 */
public record FsProfile(
        String type,
        long magic,
        int blockSize,
        int clusterSize,
        long maxWrittenLen,
        long maxUnwrittenLen,
        long maxBytes,
        boolean collapseFreesPostEof,
        boolean punchAtEofIsNoop,
        boolean punchRoundsUpEofBlock,
        boolean insertChecksRlimit,
        boolean enospcKeepsPartial,
        boolean unshareRange,
        long rootIno) {

    /** EXT4_SUPER_MAGIC. */
    public static final long EXT4_MAGIC = 0xEF53L;
    /** XFS_SUPER_MAGIC ("XFSB"). */
    public static final long XFS_MAGIC = 0x58465342L;

    /** ext4 with the given block size and cluster size (equal unless bigalloc). */
    public static FsProfile ext4(int blockSize, int clusterSize) {
        // ext4_max_size() with huge_file: 2^32 - 1 logical blocks (measured: 4k -> 16 TiB - 4 KiB).
        long maxBytes = ((1L << 32) - 1) * blockSize;
        return new FsProfile(
                "ext4",
                EXT4_MAGIC,
                blockSize,
                clusterSize,
                32768,
                32767,
                maxBytes,
                false,
                true,
                true,
                false,
                true,
                false,
                2);
    }

    /** xfs with the given block size. */
    public static FsProfile xfs(int blockSize) {
        long maxLen = (1L << 21) - 1;
        return new FsProfile(
                "xfs",
                XFS_MAGIC,
                blockSize,
                blockSize,
                maxLen,
                maxLen,
                Long.MAX_VALUE,
                true,
                false,
                false,
                true,
                false,
                true,
                128);
    }

    /** Blocks per allocation unit (1 unless ext4 bigalloc). */
    public int blocksPerCluster() {
        return clusterSize / blockSize;
    }

    /** The COLLAPSE/INSERT alignment unit: the cluster on ext4, the block on xfs (ext4_collapse_range checks EXT4_CLUSTER_SIZE, xfs_is_falloc_aligned the allocation unit). */
    public int shiftAlignment() {
        return clusterSize;
    }
}
