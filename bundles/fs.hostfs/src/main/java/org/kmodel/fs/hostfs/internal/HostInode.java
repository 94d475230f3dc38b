package org.kmodel.fs.hostfs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.InodeAttr;

/**
 * One host file seen through hostfs (fs/hostfs/hostfs_kern.c + hostfs_user.c): each operation is the host
 * system call of the same name, and the host's errno is the result. fallocate goes to the host's
 * fallocate(2) unchanged, so a hostfs mount behaves exactly as the host filesystem does.
 */
final class HostInode implements Inode {
    private static final int PAGE = 4096;
    private final HostSuperBlock sb;
    private final long ino;

    HostInode(HostSuperBlock sb, long ino) {
        this.sb = sb;
        this.ino = ino;
    }

    private Path path() {
        return sb.pathOf(ino);
    }

    private String child(String name) {
        return path().resolve(name).toString();
    }

    private static Libc c() {
        return Libc.get();
    }

    @Override
    public long ino() {
        return ino;
    }

    @Override
    public InodeAttr getattr() {
        return (InodeAttr) HostCalls.lstat(path().toString())[1];
    }

    @Override
    public void setattr(AttrChange ch) {
        String p = path().toString();
        if (ch.size() != null) {
            HostCalls.check(c().truncate(p, ch.size()), "truncate");
        }
        if (ch.mode() != null) {
            HostCalls.check(c().chmod(p, ch.mode() & 07777), "chmod");
        }
        if (ch.uid() != null || ch.gid() != null) {
            HostCalls.check(c().lchown(p, ch.uid() == null ? -1 : ch.uid(), ch.gid() == null ? -1 : ch.gid()), "chown");
        }
        if (ch.atime() != null || (ch.mtime() != null && ch.size() == null)) {
            try {
                Files.getFileAttributeView(path(), BasicFileAttributeView.class)
                        .setTimes(
                                ch.mtime() == null ? null : FileTime.from(ch.mtime(), TimeUnit.NANOSECONDS),
                                ch.atime() == null ? null : FileTime.from(ch.atime(), TimeUnit.NANOSECONDS),
                                null);
            } catch (IOException e) {
                throw new KernelException(Errno.EPERM, "utimes", e);
            }
        }
    }

    @Override
    public Inode lookup(String name) {
        Path p = path().resolve(name);
        return Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? sb.inodeAt(p) : null;
    }

    @Override
    public Inode create(String name, int mode, long rdev) {
        String p = child(name);
        int type = mode & FileType.S_IFMT;
        if (type == FileType.DIRECTORY.bits()) {
            HostCalls.check(c().mkdir(p, mode & 07777), "mkdir");
        } else if (type == FileType.REGULAR.bits() || type == 0) {
            int fd = HostCalls.check(c().open(p, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL, mode & 07777), "create");
            c().close(fd);
        } else {
            HostCalls.check(c().mknod(p, mode, rdev), "mknod");
        }
        return sb.inodeAt(Path.of(p));
    }

    @Override
    public Inode symlink(String name, String target) {
        HostCalls.check(c().symlink(target, child(name)), "symlink");
        return sb.inodeAt(Path.of(child(name)));
    }

    @Override
    public void link(String name, Inode target) {
        HostCalls.check(c().link(sb.pathOf(target.ino()).toString(), child(name)), "link");
    }

    @Override
    public void unlink(String name) {
        HostCalls.check(c().unlink(child(name)), "unlink");
    }

    @Override
    public void rmdir(String name) {
        HostCalls.check(c().rmdir(child(name)), "rmdir");
    }

    @Override
    public void rename(String oldName, Inode newDir, String newName) {
        Path from = path().resolve(oldName);
        Path to = sb.pathOf(newDir.ino()).resolve(newName);
        HostCalls.check(c().rename(from.toString(), to.toString()), "rename");
        sb.moved(from, to);
    }

    @Override
    public List<DirEntry> readdir() {
        List<DirEntry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(path())) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                Object[] st = HostCalls.lstat(p.toString());
                out.add(new DirEntry(
                        p.getFileName().toString(), (Long) st[0], FileType.of(((InodeAttr) st[1]).mode())));
            }
        } catch (IOException e) {
            throw new KernelException(Errno.ENOTDIR, "readdir", e);
        }
        return out;
    }

    @Override
    public String readlink() {
        byte[] buf = new byte[4096];
        long n = HostCalls.check(c().readlink(path().toString(), buf, buf.length), "readlink");
        return new String(buf, 0, (int) n, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void readPage(long index, byte[] page) {
        java.util.Arrays.fill(page, (byte) 0);
        HostCalls.check(c().pread(sb.fd(ino), page, PAGE, index * PAGE), "read");
    }

    @Override
    public void writePage(long index, byte[] page, int length) {
        long n = HostCalls.check(c().pwrite(sb.fd(ino), page, length, index * PAGE), "write");
        if (n != length) {
            throw new KernelException(Errno.ENOSPC, "write");
        }
    }

    @Override
    public void extendSize(long newSize) {
        if (getattr().size() < newSize) {
            HostCalls.check(c().ftruncate(sb.fd(ino), newSize), "truncate");
        }
    }

    /** FS_IOC_FIEMAP on the host file; the host's extents and flags, untouched. */
    @Override
    public List<FiemapExtent> mapExtents(long start, long length) {
        int fd = sb.fd(ino);
        List<FiemapExtent> out = new ArrayList<>();
        long pos = start;
        long end = length > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + length;
        while (pos < end) {
            int count = 256;
            byte[] buf = new byte[32 + count * 56];
            ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, pos).putLong(8, end - pos).putInt(16, 1).putInt(24, count); // FIEMAP_FLAG_SYNC
            HostCalls.check(c().ioctl(fd, Libc.FS_IOC_FIEMAP, buf), "fiemap");
            int mapped = b.getInt(20);
            if (mapped == 0) {
                break;
            }
            boolean last = false;
            for (int i = 0; i < mapped; i++) {
                int o = 32 + i * 56;
                FiemapExtent e = new FiemapExtent(b.getLong(o), b.getLong(o + 8), b.getLong(o + 16), b.getInt(o + 40));
                out.add(e);
                pos = e.end();
                last |= (e.flags() & FiemapExtent.LAST) != 0;
            }
            if (last || mapped < count) {
                break;
            }
        }
        return out;
    }

    @Override
    public void fallocate(FallocateRequest r) {
        HostCalls.check(c().fallocate(sb.fd(ino), r.mode(), r.offset(), r.length()), "fallocate failed");
    }

    @Override
    public void fsync() {
        HostCalls.check(c().fsync(sb.fd(ino)), "fsync");
    }

    @Override
    public void evict() {
        sb.closeFd(ino);
    }
}
