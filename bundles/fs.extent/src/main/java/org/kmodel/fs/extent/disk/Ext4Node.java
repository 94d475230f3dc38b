package org.kmodel.fs.extent.disk;

import org.kmodel.fs.extent.ext4.DirLayout;
import org.kmodel.fs.extent.ext4.Ext4Inode;
import org.kmodel.fs.extent.ext4.ExtentTreeWriter;

/**
 * What the ext4 format remembers about one inode between commits: its last on-disk image (fields kmodel
 * does not model survive), the tree blocks of its extent map, and for directories the block layout.
 */
final class Ext4Node {
    Ext4Inode raw;
    final ExtentTreeWriter.State tree;
    /** Directories. */
    DirLayout dir;
    /** Slow symbolic links: the block holding the target, or -1. */
    long symlinkBlock = -1;
    /** The directory still has EXT4_INDEX_FL from a host image; its first change rewrites it linear. */
    boolean htree;
    /** Freed since the last commit: written once as deleted, then forgotten. */
    boolean freed;

    Ext4Node(Ext4Inode raw, ExtentTreeWriter.State tree) {
        this.raw = raw;
        this.tree = tree;
    }
}
