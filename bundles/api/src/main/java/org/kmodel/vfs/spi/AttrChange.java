package org.kmodel.vfs.spi;

/**
 * What {@link Inode#setattr} must change ({@code struct iattr}); {@code null} fields stay unchanged.
 * A {@code size} is a truncate ({@code truncate_setsize} path): the VFS has already dropped the page cache
 * past the new size and zeroed the tail of a partial last page. The filesystem must free blocks wholly past
 * the new size, <b>zero the rest of the partial last block on its storage</b> (so a later extension never
 * exposes old bytes), and free post-EOF preallocation even when the size does not change (measured on ext4,
 * xfs and tmpfs: ftruncate to the same size frees KEEP_SIZE blocks).
 */
public record AttrChange(
        Long size, Integer mode, Integer uid, Integer gid, Long atime, Long mtime, Long ctime, Integer flags) {

    public static AttrChange size(long size, long now) {
        return new AttrChange(size, null, null, null, null, now, now, null);
    }

    public static AttrChange mode(int mode, long now) {
        return new AttrChange(null, mode, null, null, null, null, now, null);
    }

    public static AttrChange times(Long atime, Long mtime, long now) {
        return new AttrChange(null, null, null, null, atime, mtime, now, null);
    }

    public static AttrChange flags(int flags, long now) {
        return new AttrChange(null, null, null, null, null, null, now, flags);
    }

    /** mtime and ctime to {@code now} (file_update_time after a write or fallocate). */
    public static AttrChange modified(long now) {
        return new AttrChange(null, null, null, null, null, now, now, null);
    }

    public AttrChange withMode(int newMode) {
        return new AttrChange(size, newMode, uid, gid, atime, mtime, ctime, flags);
    }
}
