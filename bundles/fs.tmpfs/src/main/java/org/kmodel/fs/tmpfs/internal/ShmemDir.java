package org.kmodel.fs.tmpfs.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.spi.Inode;

/**
 * A tmpfs directory (mm/shmem.c {@code shmem_mknod}, {@code shmem_link}, {@code shmem_unlink},
 * {@code shmem_rmdir}, {@code shmem_rename2}; fs/libfs.c {@code simple_*}): the dcache is the directory,
 * so here it is a name map. Directory nlink is 2 plus the number of subdirectories.
 */
final class ShmemDir extends ShmemInode {
    private final Map<String, ShmemInode> entries = new LinkedHashMap<>();

    ShmemDir(ShmemSuperBlock sb, long ino, int mode) {
        super(sb, ino, mode);
        this.nlink = 2;
    }

    @Override
    public Inode lookup(String name) {
        return entries.get(name);
    }

    @Override
    public Inode create(String name, int mode, long rdev) {
        long ino = sb.allocIno();
        ShmemInode child =
                switch (FileType.of(mode)) {
                    case DIRECTORY -> new ShmemDir(sb, ino, mode);
                    case REGULAR -> new ShmemFile(sb, ino, mode);
                    default -> new ShmemSpecial(sb, ino, mode, rdev, null);
                };
        add(name, child);
        return child;
    }

    @Override
    public Inode symlink(String name, String target) {
        // shmem_symlink: the target and its NUL must fit in one page
        if (target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1 > ShmemSuperBlock.PAGE_SIZE) {
            throw new org.kmodel.kernel.KernelException(org.kmodel.kernel.Errno.ENAMETOOLONG, "symlink");
        }
        ShmemInode child = new ShmemSpecial(sb, sb.allocIno(), FileType.SYMLINK.bits() | 0777, 0, target);
        add(name, child);
        return child;
    }

    @Override
    public void link(String name, Inode target) {
        ShmemInode t = (ShmemInode) target;
        t.nlink++;
        t.ctime = now();
        entries.put(name, t);
        touch();
    }

    @Override
    public void unlink(String name) {
        ShmemInode c = existing(name);
        entries.remove(name);
        c.nlink--;
        c.ctime = now();
        touch();
    }

    @Override
    public void rmdir(String name) {
        ShmemInode c = existing(name);
        if (!(c instanceof ShmemDir d)) {
            throw new KernelException(Errno.ENOTDIR, name);
        }
        if (!d.entries.isEmpty()) {
            throw new KernelException(Errno.ENOTEMPTY, name);
        }
        entries.remove(name);
        d.nlink = 0;
        nlink--;
        touch();
    }

    @Override
    public void rename(String oldName, Inode newDir, String newName) {
        ShmemDir to = (ShmemDir) newDir;
        ShmemInode moving = existing(oldName);
        ShmemInode replaced = to.entries.get(newName);
        if (replaced instanceof ShmemDir rd && !rd.entries.isEmpty()) {
            throw new KernelException(Errno.ENOTEMPTY, newName);
        }
        entries.remove(oldName);
        to.entries.put(newName, moving);
        if (replaced != null) {
            if (replaced instanceof ShmemDir) {
                replaced.nlink = 0;
                to.nlink--;
            } else {
                replaced.nlink--;
            }
        }
        if (moving instanceof ShmemDir && to != this) {
            nlink--;
            to.nlink++;
        }
        moving.ctime = now();
        touch();
        to.touch();
    }

    @Override
    public List<DirEntry> readdir() {
        List<DirEntry> out = new ArrayList<>();
        entries.forEach((n, c) -> out.add(new DirEntry(n, c.ino, FileType.of(c.mode))));
        return out;
    }

    private void add(String name, ShmemInode child) {
        if (entries.containsKey(name)) {
            throw new KernelException(Errno.EEXIST, name);
        }
        entries.put(name, child);
        if (child instanceof ShmemDir) {
            nlink++;
        }
        touch();
    }

    private ShmemInode existing(String name) {
        ShmemInode c = entries.get(name);
        if (c == null) {
            throw new KernelException(Errno.ENOENT, name);
        }
        return c;
    }

    @Override
    long size() {
        // tmpfs reports BOGO_DIRENT_SIZE (20) per entry, plus 2 for "." and ".." (40 for an empty dir)
        return 20L * (entries.size() + 2);
    }
}
