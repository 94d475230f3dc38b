package org.kmodel.vfs.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.FsCapabilities;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.InodeAttr;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * A test filesystem with 4 KiB blocks that supports allocate, KEEP_SIZE, PUNCH, ZERO, COLLAPSE and INSERT with
 * ext4's rules (block alignment, EOF checks), so that VFS behaviour around shifts can be tested without the
 * real ext4 bundle. Records the calls the VFS makes.
 */
class MemFs implements FileSystemType {
    static final int PS = 4096;
    final String name;
    final List<String> calls = new ArrayList<>();
    /** What every inode's {@code flushBeforeRelease} answers. */
    boolean flushBeforeRelease;

    int mounts;

    MemFs(String name) {
        this.name = name;
    }

    static FsCapabilities caps() {
        return FsCapabilities.builder()
                .fallocateModes(0, 1, 3, 0x08, 0x10, 0x11, 0x20)
                .blockSize(PS)
                .maxBytes(1L << 44)
                .fiemap(true)
                .seekUnwrittenCachedAsData(true)
                .magic(0x4d454d)
                .build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FsCapabilities capabilities(KernelRelease release) {
        return caps();
    }

    @Override
    public SuperBlock mount(MountContext context) {
        mounts++;
        if (context.optionMap().containsKey("fail")) {
            throw new KernelException(Errno.EINVAL, "bad option");
        }
        return new Sb(context.source(), context.optionMap().containsKey("failkill"));
    }

    class Sb implements SuperBlock {
        final String source;
        final boolean failKill;
        long nextIno = 2;
        final Node root = new Node(this, FileType.DIRECTORY.bits() | 0755);

        @Override
        public Inode root() {
            return root;
        }

        @Override
        public FsCapabilities capabilities() {
            return caps();
        }

        @Override
        public StatFs statfs() {
            return new StatFs(0x4d454d, PS, 1000, 1000, 1000, 100, 100, 255);
        }

        @Override
        public String mountOptions() {
            return "rw";
        }

        Sb(String source, boolean failKill) {
            this.source = source;
            this.failKill = failKill;
        }

        @Override
        public void sync() {
            calls.add("sync_fs " + source);
        }

        @Override
        public void kill() {
            calls.add("kill_sb " + source);
            if (failKill) {
                throw new KernelException(Errno.EIO, "kill_sb " + source);
            }
        }
    }

    class Node implements Inode {
        final Sb sb;
        final long ino;
        int mode;
        int nlink;
        long size;
        long atime;
        long mtime;
        long ctime;
        int flags;
        String link;
        final Map<String, Node> children = new LinkedHashMap<>();
        final TreeMap<Long, byte[]> data = new TreeMap<>();
        final TreeSet<Long> unwritten = new TreeSet<>();

        Node(Sb sb, int mode) {
            this.sb = sb;
            this.ino = sb.nextIno++;
            this.mode = mode;
            this.nlink = FileType.of(mode) == FileType.DIRECTORY ? 2 : 1;
        }

        @Override
        public long ino() {
            return ino;
        }

        @Override
        public void release(boolean writable) {
            calls.add("release " + ino + (writable ? " w" : " r") + " nlink=" + nlink);
        }

        @Override
        public boolean flushBeforeRelease() {
            return flushBeforeRelease;
        }

        @Override
        public void evict() {
            calls.add("evict " + ino);
        }

        @Override
        public InodeAttr getattr() {
            return new InodeAttr(
                    mode,
                    nlink,
                    0,
                    0,
                    0,
                    size,
                    (long) (data.size() + unwritten.size()) * (PS / 512),
                    atime,
                    mtime,
                    ctime,
                    flags);
        }

        @Override
        public void setattr(AttrChange c) {
            calls.add("setattr" + (c.size() != null ? " size=" + c.size() : ""));
            if (c.size() != null) {
                long n = c.size();
                long first = (n + PS - 1) / PS;
                data.tailMap(first).clear();
                unwritten.tailSet(first).clear();
                byte[] last = data.get(n / PS);
                if (last != null && n % PS != 0) {
                    Arrays.fill(last, (int) (n % PS), PS, (byte) 0);
                }
                size = n;
            }
            if (c.mode() != null) {
                mode = (mode & ~07777) | c.mode();
            }
            if (c.mtime() != null) {
                mtime = c.mtime();
            }
            if (c.atime() != null) {
                atime = c.atime();
            }
            if (c.ctime() != null) {
                ctime = c.ctime();
            }
            if (c.flags() != null) {
                flags = c.flags();
            }
        }

        @Override
        public Inode lookup(String n) {
            return children.get(n);
        }

        @Override
        public Inode create(String n, int m, long rdev) {
            Node c = new Node(sb, m);
            children.put(n, c);
            if (c.isDir()) {
                nlink++;
            }
            return c;
        }

        boolean isDir() {
            return FileType.of(mode) == FileType.DIRECTORY;
        }

        @Override
        public Inode symlink(String n, String target) {
            Node c = new Node(sb, FileType.SYMLINK.bits() | 0777);
            c.link = target;
            c.size = target.length();
            children.put(n, c);
            return c;
        }

        @Override
        public void link(String n, Inode target) {
            Node t = (Node) target;
            t.nlink++;
            children.put(n, t);
        }

        @Override
        public void unlink(String n) {
            Node c = children.remove(n);
            c.nlink--;
        }

        @Override
        public void rmdir(String n) {
            Node c = children.get(n);
            if (!c.children.isEmpty()) {
                throw new KernelException(Errno.ENOTEMPTY, n);
            }
            children.remove(n);
            c.nlink = 0;
            nlink--;
        }

        @Override
        public void rename(String oldName, Inode newDir, String newName) {
            Node c = children.remove(oldName);
            Node replaced = ((Node) newDir).children.put(newName, c);
            if (replaced != null) {
                replaced.nlink = replaced.isDir() ? 0 : replaced.nlink - 1;
            }
        }

        @Override
        public List<DirEntry> readdir() {
            List<DirEntry> out = new ArrayList<>();
            children.forEach((n, c) -> out.add(new DirEntry(n, c.ino, FileType.of(c.mode))));
            return out;
        }

        @Override
        public String readlink() {
            return link;
        }

        @Override
        public void readPage(long index, byte[] page) {
            calls.add("readpage " + index);
            byte[] d = data.get(index);
            if (d != null) {
                System.arraycopy(d, 0, page, 0, PS);
            }
        }

        @Override
        public void writePage(long index, byte[] page, int length) {
            calls.add("writepage " + index);
            data.put(index, page.clone());
            unwritten.remove(index);
        }

        @Override
        public void extendSize(long newSize) {
            size = newSize;
        }

        @Override
        public List<FiemapExtent> mapExtents(long start, long length) {
            List<FiemapExtent> out = new ArrayList<>();
            TreeSet<Long> all = new TreeSet<>(data.keySet());
            all.addAll(unwritten);
            for (long i : all) {
                int fl = unwritten.contains(i) ? FiemapExtent.UNWRITTEN : 0;
                FiemapExtent last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && last.end() == i * PS && last.flags() == fl) {
                    out.set(out.size() - 1, new FiemapExtent(last.logical(), last.physical(), last.length() + PS, fl));
                } else {
                    out.add(new FiemapExtent(i * PS, i * PS, PS, fl));
                }
            }
            out.removeIf(e -> e.end() <= start || e.logical() >= start + length);
            if (!out.isEmpty() && out.get(out.size() - 1).end() == (all.last() + 1) * PS) {
                FiemapExtent l = out.remove(out.size() - 1);
                out.add(l.withFlags(l.flags() | FiemapExtent.LAST));
            }
            return out;
        }

        @Override
        public void fallocateCheck(FallocateRequest r) {
            calls.add("check " + FallocateMode.toString(r.mode()));
            int op = r.operation();
            if (op == FallocateMode.COLLAPSE_RANGE || op == FallocateMode.INSERT_RANGE) {
                if (r.offset() % PS != 0 || r.length() % PS != 0) {
                    throw new KernelException(Errno.EINVAL, "align");
                }
                if (op == FallocateMode.COLLAPSE_RANGE && r.end() >= size) {
                    throw new KernelException(Errno.EINVAL, "eof");
                }
                if (op == FallocateMode.INSERT_RANGE && r.offset() >= size) {
                    throw new KernelException(Errno.EINVAL, "eof");
                }
            }
        }

        @Override
        public void fallocate(FallocateRequest r) {
            calls.add("fallocate " + FallocateMode.toString(r.mode()));
            long first = r.offset() / PS;
            long endPage = (r.end() + PS - 1) / PS;
            switch (r.operation()) {
                case 0 -> {
                    for (long i = first; i < endPage; i++) {
                        if (!data.containsKey(i)) {
                            unwritten.add(i);
                        }
                    }
                    if (!r.keepSize()) {
                        size = Math.max(size, r.end());
                    }
                }
                case FallocateMode.PUNCH_HOLE, FallocateMode.ZERO_RANGE -> {
                    zeroBytes(r.offset(), Math.min(r.end(), Math.max(size, r.end())));
                    long wf = (r.offset() + PS - 1) / PS;
                    long wl = r.end() / PS;
                    for (long i = wf; i < wl; i++) {
                        data.remove(i);
                        unwritten.remove(i);
                        if (r.operation() == FallocateMode.ZERO_RANGE) {
                            unwritten.add(i);
                        }
                    }
                    if (r.operation() == FallocateMode.ZERO_RANGE && !r.keepSize()) {
                        size = Math.max(size, r.end());
                    }
                }
                case FallocateMode.COLLAPSE_RANGE -> {
                    long n = r.length() / PS;
                    shift(first, first + n, -n);
                    size -= r.length();
                }
                case FallocateMode.INSERT_RANGE -> {
                    long n = r.length() / PS;
                    size += r.length();
                    shift(first, first, n);
                }
                default -> throw new KernelException(Errno.EOPNOTSUPP, "mode");
            }
        }

        private void zeroBytes(long from, long to) {
            for (long p = from; p < to; ) {
                long i = p / PS;
                int off = (int) (p % PS);
                int n = (int) Math.min(PS - off, to - p);
                byte[] d = data.get(i);
                if (d != null) {
                    Arrays.fill(d, off, off + n, (byte) 0);
                }
                p += n;
            }
        }

        /** Removes pages [from, to) and moves pages at/after {@code to} by {@code delta} pages. */
        private void shift(long from, long to, long delta) {
            data.subMap(from, to).clear();
            unwritten.subSet(from, to).clear();
            TreeMap<Long, byte[]> moved = new TreeMap<>();
            data.tailMap(to).forEach((k, v) -> moved.put(k + delta, v));
            data.tailMap(to).clear();
            data.putAll(moved);
            TreeSet<Long> mu = new TreeSet<>();
            unwritten.tailSet(to).forEach(k -> mu.add(k + delta));
            unwritten.tailSet(to).clear();
            unwritten.addAll(mu);
        }
    }
}
