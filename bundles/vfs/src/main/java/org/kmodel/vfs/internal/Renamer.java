package org.kmodel.vfs.internal;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/** rename(2) ({@code do_renameat2}, {@code vfs_rename}): the checks the VFS makes before {@code ->rename}. */
final class Renamer {
    private Renamer() {}

    static void rename(VfsCore core, String from, String to) {
        PathWalk.Parent src = core.parent(from);
        PathWalk.Parent dst = core.parent(to);
        // do_renameat2's order once both parents are found: the parents' mounts differ (EXDEV, even for a missing
        // name), "." or ".." (EBUSY), write access to the mount (EROFS, even for a missing name or a rename onto
        // itself), and only then the lookups
        if (src.dir().mount() != dst.dir().mount()) {
            throw new KernelException(Errno.EXDEV, to);
        }
        if (isDots(src.name()) || isDots(dst.name())) {
            throw new KernelException(Errno.EBUSY, from);
        }
        src.dir().mount().wantWrite(from);
        VfsInode moving = VfsCore.child(src);
        if (moving == null) {
            throw new KernelException(Errno.ENOENT, from);
        }
        if (core.mounts.mountedOn(moving) != null) {
            throw new KernelException(Errno.EBUSY, from);
        }
        if (!moving.isDir() && (src.trailingSlash() || dst.trailingSlash())) {
            throw new KernelException(Errno.ENOTDIR, from);
        }
        VfsInode target = VfsCore.child(dst);
        if (target == moving) {
            return; // same inode: rename(2) does nothing and succeeds
        }
        if (moving.isDir() && dst.dir().chain().stream().anyMatch(s -> s.inode() == moving)) {
            throw new KernelException(Errno.EINVAL, to);
        }
        if (target != null) {
            if (moving.isDir() && !target.isDir()) {
                throw new KernelException(Errno.ENOTDIR, to);
            }
            if (!moving.isDir() && target.isDir()) {
                throw new KernelException(Errno.EISDIR, to);
            }
            if (target.isDir() && !target.fs.readdir().isEmpty()) {
                throw new KernelException(Errno.ENOTEMPTY, to);
            }
            if (core.mounts.mountedOn(target) != null) {
                throw new KernelException(Errno.EBUSY, to);
            }
            if (target.immutable() || target.appendOnly()) {
                throw new KernelException(Errno.EPERM, to);
            }
        }
        if (moving.immutable() || moving.appendOnly()) {
            throw new KernelException(Errno.EPERM, from);
        }
        VfsCore.checkDirWritable(src.dir().inode());
        VfsCore.checkDirWritable(dst.dir().inode());
        src.dir().inode().fs.rename(src.name(), dst.dir().inode().fs, dst.name());
        if (target != null) {
            dst.dir().mount().evictIfUnused(target);
        }
    }

    private static boolean isDots(String name) {
        return name.equals(".") || name.equals("..");
    }
}
