package org.kmodel.vfs.internal;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FileType;

/**
 * The name-creating and name-removing system calls (fs/namei.c {@code do_mkdirat}, {@code do_mknodat},
 * {@code do_rmdir}, {@code do_unlinkat}, {@code do_linkat}, {@code do_symlinkat}): the checks the VFS makes
 * before the filesystem's inode operation. Called with the VFS lock held.
 */
final class NameOps {
    private NameOps() {}

    static void mkdir(VfsCore core, String path, int mode) {
        PathWalk.Parent p = core.parent(path);
        VfsCore.checkNotDots(p, Errno.EEXIST);
        if (VfsCore.child(p) != null) {
            throw new KernelException(Errno.EEXIST, path);
        }
        p.dir().mount().wantWrite(path); // filename_create: EEXIST and ENAMETOOLONG of the lookup come first
        VfsCore.checkDirWritable(p.dir().inode());
        p.dir().inode().fs.create(p.name(), FileType.DIRECTORY.bits() | (mode & 07777 & ~022), 0);
    }

    static void mknod(VfsCore core, String path, int mode, long dev) {
        // may_mknod, before the path is looked up: no type bits at all mean a regular file (do_mknodat then creates
        // one as open(O_CREAT) would), a directory is EPERM (mkdir makes those), any other type that is not a file,
        // device node, FIFO or socket EINVAL (measured: 0644 a regular file, S_IFDIR EPERM, S_IFLNK EINVAL)
        FileType t = (mode & FileType.S_IFMT) == 0 ? FileType.REGULAR : FileType.of(mode);
        if (t == FileType.DIRECTORY) {
            throw new KernelException(Errno.EPERM, path);
        }
        if (t == null || t == FileType.SYMLINK) {
            throw new KernelException(Errno.EINVAL, path);
        }
        if (dev < 0 || dev > 0xffffffffL) {
            // mknodat takes an unsigned int dev (new_decode_dev, include/linux/kdev_t.h): no wider number exists
            throw new KernelException(Errno.EINVAL, path);
        }
        PathWalk.Parent p = core.parent(path);
        VfsCore.checkNotDots(p, Errno.EEXIST);
        if (VfsCore.child(p) != null) {
            throw new KernelException(Errno.EEXIST, path);
        }
        p.dir().mount().wantWrite(path); // filename_create, as for mkdir
        VfsCore.checkDirWritable(p.dir().inode());
        p.dir().inode().fs.create(p.name(), t.bits() | (mode & 07777 & ~022), dev);
    }

    static void rmdir(VfsCore core, String path) {
        PathWalk.Parent p = core.parent(path);
        if (p.name().equals(".")) {
            throw new KernelException(Errno.EINVAL, path);
        }
        if (p.name().equals("..")) {
            throw new KernelException(Errno.ENOTEMPTY, path);
        }
        // do_rmdir wants write access right after the "." and ".." checks, before it looks the name up: a missing
        // name, a file or a non-empty directory on a read-only mount are all EROFS
        p.dir().mount().wantWrite(path);
        VfsInode c = VfsCore.child(p);
        if (c == null) {
            throw new KernelException(Errno.ENOENT, path);
        }
        if (!c.isDir()) {
            throw new KernelException(Errno.ENOTDIR, path);
        }
        if (core.mounts.mountedOn(c) != null) {
            throw new KernelException(Errno.EBUSY, path);
        }
        VfsCore.checkDirWritable(p.dir().inode());
        if (c.immutable() || c.appendOnly()) {
            throw new KernelException(Errno.EPERM, path);
        }
        p.dir().inode().fs.rmdir(p.name());
        p.dir().mount().evictIfUnused(c);
    }

    static void unlink(VfsCore core, String path) {
        PathWalk.Parent p = core.parent(path);
        if (p.name().equals(".") || p.name().equals("..")) {
            throw new KernelException(Errno.EISDIR, path);
        }
        // do_unlinkat: write access before the lookup, so a missing or too long name is EROFS on a read-only mount
        p.dir().mount().wantWrite(path);
        VfsInode c = VfsCore.child(p);
        if (c == null) {
            throw new KernelException(Errno.ENOENT, path);
        }
        if (c.isDir()) {
            throw new KernelException(Errno.EISDIR, path);
        }
        VfsCore.checkDirWritable(p.dir().inode());
        if (c.immutable() || c.appendOnly()) {
            throw new KernelException(Errno.EPERM, path);
        }
        p.dir().inode().fs.unlink(p.name());
        p.dir().mount().evictIfUnused(c);
    }

    static void link(VfsCore core, String existing, String newPath) {
        Location src = core.resolve(existing, false);
        PathWalk.Parent p = core.parent(newPath);
        VfsCore.checkNotDots(p, Errno.EEXIST);
        if (VfsCore.child(p) != null) {
            throw new KernelException(Errno.EEXIST, newPath);
        }
        // do_linkat: filename_create of the new name wants write access to the new name's mount, before EXDEV
        p.dir().mount().wantWrite(newPath);
        if (src.inode().isDir()) {
            throw new KernelException(Errno.EPERM, existing);
        }
        if (src.mount() != p.dir().mount()) {
            throw new KernelException(Errno.EXDEV, newPath);
        }
        if (src.inode().immutable() || src.inode().appendOnly()) {
            throw new KernelException(Errno.EPERM, existing);
        }
        VfsCore.checkDirWritable(p.dir().inode());
        p.dir().inode().fs.link(p.name(), src.inode().fs);
    }

    static void symlink(VfsCore core, String target, String linkPath) {
        if (target.isEmpty()) {
            throw new KernelException(Errno.ENOENT, linkPath);
        }
        // do_symlinkat copies the target with getname(): strncpy_from_user into a PATH_MAX buffer, so a target
        // of PATH_MAX bytes or more (no room for the NUL) is ENAMETOOLONG before any filesystem sees it. The
        // filesystems add their own, smaller limits (ext4: one block; xfs: 1024 bytes).
        if (target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= org.kmodel.vfs.Vfs.PATH_MAX) {
            throw new KernelException(Errno.ENAMETOOLONG, linkPath);
        }
        PathWalk.Parent p = core.parent(linkPath);
        VfsCore.checkNotDots(p, Errno.EEXIST);
        if (VfsCore.child(p) != null) {
            throw new KernelException(Errno.EEXIST, linkPath);
        }
        p.dir().mount().wantWrite(linkPath); // filename_create
        VfsCore.checkDirWritable(p.dir().inode());
        p.dir().inode().fs.symlink(p.name(), target);
    }
}
