package org.kmodel.fs.extent;

/**
 * One mapping of a file (struct ext4_extent, struct xfs_bmbt_irec): {@code len} allocation units from
 * logical unit {@code lblk} live at physical unit {@code pblk}. An unwritten extent is allocated but reads
 * as zeros (EXT4_EXT_UNWRITTEN / XFS_EXT_UNWRITTEN), which is what keeps preallocated space from showing
 * whatever the blocks held before.
 */
public record Extent(long lblk, long len, long pblk, boolean unwritten) {
    public long end() {
        return lblk + len;
    }

    public long pend() {
        return pblk + len;
    }
}
