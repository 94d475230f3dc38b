package org.kmodel.vfs.internal;

import java.util.List;

/**
 * A resolved position in the namespace ({@code struct path}: mount plus dentry). Because the SPI has no
 * parent pointers, a location carries the chain of directories the walk came through; {@code ..} pops it.
 * The chain always starts at the root of the namespace, so it also spells the absolute path.
 */
record Location(List<Step> chain) {
    /** One component of the chain: the name it was reached by ("" for the root), its mount and inode. */
    record Step(String name, Mount mount, VfsInode inode) {}

    Step last() {
        return chain.get(chain.size() - 1);
    }

    VfsInode inode() {
        return last().inode();
    }

    Mount mount() {
        return last().mount();
    }

    String path() {
        if (chain.size() == 1) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < chain.size(); i++) {
            sb.append('/').append(chain.get(i).name());
        }
        return sb.toString();
    }
}
