package org.kmodel.vfs.internal;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.spi.Inode;

/** open(2) ({@code do_filp_open}, {@code open_last_lookups}, {@code may_open}, {@code do_truncate}). */
final class Opener {
    private static final int UMASK = 022;

    private Opener() {}

    static FileDescription open(VfsCore core, String path, int flags, int mode) {
        boolean follow = (flags & OpenFlags.O_NOFOLLOW) == 0;
        Location loc;
        if ((flags & OpenFlags.O_CREAT) != 0 && (flags & OpenFlags.O_PATH) == 0) {
            loc = openCreate(core, path, flags, mode);
        } else {
            loc = core.resolve(path, follow);
        }
        VfsInode inode = loc.inode();
        FileType type = inode.type();
        if ((flags & OpenFlags.O_PATH) == 0) {
            mayOpen(inode, type, flags, path);
        } else if ((flags & OpenFlags.O_DIRECTORY) != 0 && type != FileType.DIRECTORY) {
            throw new KernelException(Errno.ENOTDIR, path);
        }
        // fs/namei.c do_open → handle_truncate runs for every O_TRUNC open of a regular file; skipped here for
        // an empty file, except on pseudo files (/proc, /sys, tracefs), whose owner may act on the truncate
        // (ftrace's set_ftrace_filter resets its list on "echo f >", not on ">>").
        if ((flags & OpenFlags.O_TRUNC) != 0
                && OpenFlags.writable(flags)
                && type == FileType.REGULAR
                && (inode.size() != 0 || inode.fs.directIo())) {
            FileIo.truncate(core, inode, 0);
        }
        inode.users++;
        return new FileDescription(core, loc, flags);
    }

    /**
     * {@code FMODE_WRITER} (fs/open.c {@code do_dentry_open}): write access to a file that is not a special file
     * takes write access to its mount ({@code mnt_get_write_access}) until the description goes; FIFOs and device
     * nodes do not, which is why they can be opened for writing on a read-only mount.
     */
    static boolean holdsWriter(int flags, FileType type) {
        return (flags & OpenFlags.O_PATH) == 0 && OpenFlags.writable(flags) && type == FileType.REGULAR;
    }

    private static Location openCreate(VfsCore core, String path, int flags, int mode) {
        PathWalk.Parent p = core.parent(path);
        if (p.trailingSlash() || p.name().equals(".") || p.name().equals("..")) {
            throw new KernelException(Errno.EISDIR, path);
        }
        VfsInode existing = VfsCore.child(p);
        if (existing != null) {
            if ((flags & OpenFlags.O_EXCL) != 0) {
                throw new KernelException(Errno.EEXIST, path);
            }
            if (existing.type() == FileType.SYMLINK) {
                if ((flags & OpenFlags.O_NOFOLLOW) != 0) {
                    throw new KernelException(Errno.ELOOP, path);
                }
                return core.resolve(path, true);
            }
            return core.resolve(path, false);
        }
        // lookup_open: a missing name on a read-only mount is EROFS, but only once the lookup found nothing:
        // an existing file is opened (O_RDONLY succeeds), O_EXCL on it is EEXIST, a too long name ENAMETOOLONG
        p.dir().mount().wantWrite(path);
        VfsInode dir = p.dir().inode();
        VfsCore.checkDirWritable(dir);
        Inode created = dir.fs.create(p.name(), FileType.REGULAR.bits() | (mode & 07777 & ~UMASK), 0);
        created.getattr();
        return core.resolve(path, false);
    }

    /** {@code may_open}: type and flag rules; the single user has every DAC permission. */
    private static void mayOpen(VfsInode inode, FileType type, int flags, String path) {
        boolean write = OpenFlags.writable(flags);
        if (type == FileType.SYMLINK) {
            throw new KernelException(Errno.ELOOP, path);
        }
        if ((flags & OpenFlags.O_DIRECTORY) != 0 && type != FileType.DIRECTORY) {
            throw new KernelException(Errno.ENOTDIR, path);
        }
        // do_open: O_TRUNC of a regular file wants write access to the mount before may_open, whatever the access
        // mode (O_RDONLY|O_TRUNC, even of an empty file, is EROFS on a read-only mount); other types drop O_TRUNC
        if ((flags & OpenFlags.O_TRUNC) != 0 && type == FileType.REGULAR) {
            inode.mount.wantWrite(path);
        }
        if (type == FileType.DIRECTORY && (write || (flags & OpenFlags.O_CREAT) != 0)) {
            throw new KernelException(Errno.EISDIR, path);
        }
        if ((flags & OpenFlags.O_ACCMODE) == OpenFlags.O_ACCMODE) {
            throw new KernelException(Errno.EINVAL, path);
        }
        // may_open → inode_permission → sb_permission: writing a regular file (directories and symlinks were refused
        // above) on a read-only super block is EROFS, before the immutable flag's EPERM; FIFOs and device nodes
        // are not the filesystem's data and stay writable
        if (write && type == FileType.REGULAR) {
            inode.mount.wantWrite(path);
        }
        if (write && inode.immutable()) {
            throw new KernelException(Errno.EPERM, path);
        }
        // An append-only file may only be opened for writing in append mode, and never truncated.
        if (inode.appendOnly() && write && ((flags & OpenFlags.O_APPEND) == 0 || (flags & OpenFlags.O_TRUNC) != 0)) {
            throw new KernelException(Errno.EPERM, path);
        }
        if (write && inode.swapfile) {
            throw new KernelException(Errno.ETXTBSY, path);
        }
    }
}
