package org.kmodel.fs.proc.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.InodeAttr;

/** A /proc or /sys directory (fs/proc/generic.c {@code proc_lookup}, {@code proc_readdir}). */
final class ProcDirInode implements Inode {
    private final ProcSuperBlock sb;
    private final List<String> path;

    ProcDirInode(ProcSuperBlock sb, List<String> path) {
        this.sb = sb;
        this.path = List.copyOf(path);
    }

    @Override
    public long ino() {
        return ProcSuperBlock.inoOf(path);
    }

    @Override
    public InodeAttr getattr() {
        return new InodeAttr(FileType.DIRECTORY.bits() | 0555, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void setattr(AttrChange change) {
        throw new KernelException(Errno.EPERM, "proc");
    }

    @Override
    public Inode lookup(String name) {
        List<String> child = new ArrayList<>(path);
        child.add(name);
        if (sb.tree.isFile(child)) {
            return new ProcFileInode(sb.tree, child);
        }
        if (sb.tree.isDirectory(child)) {
            return new ProcDirInode(sb, child);
        }
        // A ProcFs that serves paths it does not list (a live patch answering every path) still has the file.
        return sb.tree.readable(child) ? new ProcFileInode(sb.tree, child) : null;
    }

    @Override
    public List<DirEntry> readdir() {
        List<DirEntry> out = new ArrayList<>();
        for (String name : sb.tree.children(path)) {
            List<String> child = new ArrayList<>(path);
            child.add(name);
            boolean file = sb.tree.isFile(child);
            out.add(new DirEntry(name, ProcSuperBlock.inoOf(child), file ? FileType.REGULAR : FileType.DIRECTORY));
        }
        return out;
    }

    @Override
    public Inode create(String name, int mode, long rdev) {
        throw new KernelException(Errno.EACCES, "proc");
    }

    @Override
    public Inode symlink(String name, String target) {
        throw new KernelException(Errno.EACCES, "proc");
    }

    @Override
    public void unlink(String name) {
        throw new KernelException(Errno.EACCES, "proc");
    }

    @Override
    public void rmdir(String name) {
        throw new KernelException(Errno.EACCES, "proc");
    }

    @Override
    public void rename(String oldName, Inode newDir, String newName) {
        throw new KernelException(Errno.EACCES, "proc");
    }

    @Override
    public void link(String name, Inode target) {
        throw new KernelException(Errno.EACCES, "proc");
    }
}
