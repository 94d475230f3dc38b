package org.kmodel.fs.hostfs.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * A hostfs mount (fs/hostfs/hostfs_kern.c hostfs_fill_sb_common): the root is a host directory. Inodes are
 * the host's inode numbers; this instance remembers the host path of each inode it handed out (kept up to
 * date on rename) and the open host descriptors for data I/O, closed at umount.
 */
final class HostSuperBlock implements SuperBlock {
    /** HOSTFS_SUPER_MAGIC. */
    static final long MAGIC = 0x00c0ffeeL;

    private final Path root;
    private final FsCapabilities caps;
    private final Map<Long, Path> paths = new HashMap<>();
    private final Map<Long, Integer> fds = new HashMap<>();
    private final long rootIno;

    HostSuperBlock(Path root, FsCapabilities caps) {
        this.root = root;
        this.caps = caps;
        this.rootIno = (Long) HostCalls.lstat(root.toString())[0];
        paths.put(rootIno, root);
    }

    Path pathOf(long ino) {
        Path p = paths.get(ino);
        if (p == null) {
            throw new KernelException(Errno.ESTALE, "hostfs inode " + ino);
        }
        return p;
    }

    HostInode inodeAt(Path p) {
        long ino = (Long) HostCalls.lstat(p.toString())[0];
        paths.put(ino, p);
        return new HostInode(this, ino);
    }

    /** After a rename: every remembered path at or below {@code from} now lives below {@code to}. */
    void moved(Path from, Path to) {
        Map<Long, Path> updated = new HashMap<>();
        paths.forEach((ino, p) -> {
            if (p.startsWith(from)) {
                updated.put(ino, to.resolve(from.relativize(p)));
            }
        });
        paths.putAll(updated);
    }

    /** The host descriptor for data I/O on {@code ino}, opened on first use. */
    int fd(long ino) {
        Integer fd = fds.get(ino);
        if (fd == null) {
            fd = HostCalls.check(Libc.get().open(pathOf(ino).toString(), Libc.O_RDWR | Libc.O_NOFOLLOW, 0), "open");
            fds.put(ino, fd);
        }
        return fd;
    }

    void closeFd(long ino) {
        Integer fd = fds.remove(ino);
        if (fd != null) {
            Libc.get().close(fd);
        }
    }

    @Override
    public Inode root() {
        return new HostInode(this, rootIno);
    }

    @Override
    public FsCapabilities capabilities() {
        return caps;
    }

    @Override
    public StatFs statfs() {
        try {
            FileStore s = Files.getFileStore(root);
            long bs = 4096;
            return new StatFs(
                    MAGIC,
                    bs,
                    s.getTotalSpace() / bs,
                    s.getUnallocatedSpace() / bs,
                    s.getUsableSpace() / bs,
                    0,
                    0,
                    255);
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, "statfs", e);
        }
    }

    @Override
    public String mountOptions() {
        return "rw,relatime," + root;
    }

    @Override
    public void sync() {
        fds.values().forEach(fd -> Libc.get().fsync(fd));
    }

    @Override
    public void kill() {
        sync();
        fds.values().forEach(fd -> Libc.get().close(fd));
        fds.clear();
    }
}
