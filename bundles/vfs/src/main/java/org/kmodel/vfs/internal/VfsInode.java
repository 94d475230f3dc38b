package org.kmodel.vfs.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.InodeFlags;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.InodeAttr;

/**
 * The VFS's in-memory inode ({@code struct inode}, fs/inode.c): the filesystem's {@link Inode} plus what the
 * VFS keeps about it: its page cache ({@code i_mapping}), users (open descriptions and mappings, the
 * {@code i_count} that delays eviction of an unlinked file) and S_SWAPFILE.
 */
final class VfsInode {
    final Mount mount;
    final Inode fs;
    final long ino;
    final PageCache cache;
    final List<FileMappingImpl> mappings = new ArrayList<>();
    int users;
    /**
     * Holders of write access to the mount through this inode ({@code FMODE_WRITER}, fs/file_table.c): open
     * descriptions of a regular file with write access, and mappings made from such a description (the mapping
     * keeps its {@code struct file}, so the write access ends at munmap, not at close). A read-only remount is
     * refused while any is left ({@link Mount#hasWriters}).
     */
    int writers;

    boolean swapfile;

    VfsInode(Mount mount, Inode fs) {
        this.mount = mount;
        this.fs = fs;
        this.ino = fs.ino();
        this.cache = new PageCache(fs, () -> mount.memory);
    }

    InodeAttr attr() {
        return fs.getattr();
    }

    FileType type() {
        return FileType.of(attr().mode());
    }

    boolean isDir() {
        return type() == FileType.DIRECTORY;
    }

    long size() {
        return attr().size();
    }

    boolean immutable() {
        return (attr().flags() & InodeFlags.IMMUTABLE) != 0;
    }

    boolean appendOnly() {
        return (attr().flags() & InodeFlags.APPEND) != 0;
    }

    @Override
    public String toString() {
        return mount.fsType + ":" + ino;
    }
}
