package org.kmodel.vfs;

/**
 * What statfs(2) returns ({@code struct statfs}): sizes in units of {@code bsize}. df(1) prints
 * {@code blocks}, {@code blocks - bfree} and {@code bavail}.
 *
 * @param type the filesystem magic (TMPFS_MAGIC 0x01021994, EXT4_SUPER_MAGIC 0xEF53, XFS 0x58465342, PROC 0x9fa0)
 */
public record StatFs(
        long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree, long namelen) {}
