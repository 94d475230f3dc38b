package org.kmodel.vfs.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.spi.Inode;

/**
 * Path walk (fs/namei.c {@code link_path_walk}, {@code walk_component}, {@code follow_dotdot},
 * {@code step_into}): splits a path into components, crosses mount points in both directions and expands
 * symbolic links, at most {@link Vfs#MAX_SYMLINKS} per walk (ELOOP).
 */
final class PathWalk {
    private final MountTable mounts;

    PathWalk(MountTable mounts) {
        this.mounts = mounts;
    }

    /** The result of walking to the parent of the last component ({@code filename_parentat}). */
    record Parent(Location dir, String name, boolean trailingSlash) {}

    Location resolve(Location cwd, String path, boolean followLast) {
        checkPathLength(path);
        Deque<String> todo = components(path);
        List<Location.Step> chain = start(cwd, path);
        int[] links = {0};
        walk(chain, todo, followLast, links);
        if (path.endsWith("/") && FileType.of(last(chain).inode().attr().mode()) != FileType.DIRECTORY) {
            throw new KernelException(Errno.ENOTDIR, path);
        }
        return new Location(List.copyOf(chain));
    }

    /** Walks all but the last component; the last name is returned unresolved. */
    Parent resolveParent(Location cwd, String path) {
        checkPathLength(path);
        Deque<String> todo = components(path);
        List<Location.Step> chain = start(cwd, path);
        String name = todo.isEmpty() ? "." : todo.removeLast();
        int[] links = {0};
        walk(chain, todo, true, links);
        if (!last(chain).inode().isDir()) {
            throw new KernelException(Errno.ENOTDIR, path);
        }
        mounts.checkNotFailed(last(chain).inode(), path);
        return new Parent(new Location(List.copyOf(chain)), name, path.endsWith("/"));
    }

    private static void checkPathLength(String path) {
        if (path == null || path.isEmpty()) {
            throw new KernelException(Errno.ENOENT, "empty path");
        }
        if (path.indexOf('\0') >= 0) {
            // A path is a C string: the kernel (getname, fs/namei.c) stops at the first NUL, so a name with a
            // NUL inside cannot even be passed to it. Language runtimes refuse such a path before the system
            // call with EINVAL (Go's syscall.ByteSliceFromString, Rust's InvalidInput); so does the VFS here.
            throw new KernelException(Errno.EINVAL, "path contains a NUL byte");
        }
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= Vfs.PATH_MAX) {
            throw new KernelException(Errno.ENAMETOOLONG, "path");
        }
    }

    private List<Location.Step> start(Location cwd, String path) {
        if (path.startsWith("/")) {
            return new ArrayList<>(List.of(mounts.rootStep()));
        }
        return new ArrayList<>(cwd.chain());
    }

    private static Deque<String> components(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.addLast(c);
            }
        }
        return out;
    }

    private void walk(List<Location.Step> chain, Deque<String> todo, boolean followLast, int[] links) {
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            VfsInode dir = last(chain).inode();
            if (!dir.isDir()) {
                throw new KernelException(Errno.ENOTDIR, name);
            }
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                // follow_dotdot: the chain already records the mount crossings, so popping is enough;
                // ".." of the namespace root is the root itself.
                if (chain.size() > 1) {
                    chain.remove(chain.size() - 1);
                }
                continue;
            }
            checkName(name);
            Mount mnt = last(chain).mount();
            Inode child = dir.fs.lookup(name);
            if (child == null) {
                throw new KernelException(Errno.ENOENT, name);
            }
            VfsInode inode = mnt.iget(child);
            boolean isLast = todo.isEmpty();
            if (inode.type() == FileType.SYMLINK && (!isLast || followLast)) {
                if (++links[0] > Vfs.MAX_SYMLINKS) {
                    throw new KernelException(Errno.ELOOP, name);
                }
                String target = inode.fs.readlink();
                Deque<String> expanded = components(target);
                while (!expanded.isEmpty()) {
                    todo.addFirst(expanded.removeLast());
                }
                if (target.startsWith("/")) {
                    chain.subList(1, chain.size()).clear();
                }
                continue;
            }
            chain.add(new Location.Step(name, mnt, inode));
            // step into whatever is mounted on this directory (the topmost of stacked mounts)
            Mount over;
            while ((over = mounts.mountedOn(last(chain).inode())) != null) {
                chain.set(chain.size() - 1, new Location.Step(name, over, over.root));
            }
            if (!todo.isEmpty()) {
                mounts.checkNotFailed(last(chain).inode(), name);
            }
        }
    }

    static void checkName(String name) {
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Vfs.NAME_MAX) {
            throw new KernelException(Errno.ENAMETOOLONG, name.substring(0, 16) + "...");
        }
    }

    private static Location.Step last(List<Location.Step> chain) {
        return chain.get(chain.size() - 1);
    }
}
