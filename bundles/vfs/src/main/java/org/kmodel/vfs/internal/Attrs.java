package org.kmodel.vfs.internal;

import java.time.Instant;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.Stat;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.InodeAttr;

/** Attribute helpers of fs/attr.c, fs/inode.c and fs/stat.c ({@code file_modified}, {@code generic_fillattr}). */
final class Attrs {
    static final int S_ISUID = 04000;
    static final int S_ISGID = 02000;
    static final int S_IXGRP = 00010;

    private Attrs() {}

    static long now() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * {@code file_modified}: mtime and ctime to now, and {@code file_remove_privs}: without CAP_FSETID a
     * change to a regular file's data clears S_ISUID, and S_ISGID when group-execute is set (S_ISGID without
     * group-exec is mandatory locking, not a set-id bit). One setattr, as notify_change does it.
     */
    static void fileModified(VfsInode inode, boolean capFsetid) {
        InodeAttr a = inode.attr();
        AttrChange change = AttrChange.modified(now());
        int mode = a.mode();
        if (!capFsetid && FileType.of(mode) == FileType.REGULAR) {
            int cleared = mode & ~S_ISUID;
            if ((mode & S_IXGRP) != 0) {
                cleared &= ~S_ISGID;
            }
            if (cleared != mode) {
                change = change.withMode(cleared & 07777);
            }
        }
        inode.fs.setattr(change);
    }

    static Stat stat(VfsInode inode) {
        InodeAttr a = inode.attr();
        int blksize = inode.mount.sb.capabilities().blockSize();
        return new Stat(
                inode.mount.dev,
                inode.ino,
                a.mode(),
                a.nlink(),
                a.uid(),
                a.gid(),
                a.rdev(),
                a.size(),
                blksize,
                a.blocks(),
                a.atime(),
                a.mtime(),
                a.ctime(),
                a.flags());
    }
}
