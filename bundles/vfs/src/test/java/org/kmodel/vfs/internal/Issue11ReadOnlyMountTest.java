package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmodel.vfs.internal.Fixture.errno;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FileMapping;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.InodeFlags;
import org.kmodel.vfs.Mmap;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Stat;

/**
 * Issue 11: read-only mounts ({@code MNT_READONLY}, fs/namespace.c {@code mnt_want_write}). Every call that would
 * change a read-only mount fails with the errno the kernel gives, in the kernel's order relative to the other errors,
 * and changes nothing; reads work; {@code remount,rw} makes it writable again.
 *
 * <p>The expected errnos are the host's ({@link ReadOnlyCases} says how they were measured; {@link #populate} builds
 * its {@link ReadOnlyCases#TREE}). The remount cases were measured the same way, with {@code mount -o remount,ro}
 * on a tmpfs and an ext4 image while a file was open or mapped from Python (the two agree).
 */
class Issue11ReadOnlyMountTest {
    private static final int FIFO = FileType.FIFO.bits() | 0644;
    private static final int CHARDEV = FileType.CHARDEV.bits() | 0644;

    private final Fixture fx = new Fixture();
    private final VfsCore vfs = fx.vfs;
    private final MemFs other = new MemFs("other");

    @BeforeEach
    void populate() {
        vfs.registerFilesystem(other, 0, 2);
        vfs.mkdir("/mnt", 0755);
        vfs.mount("ro-src", "/mnt", "other", "");
        fx.pattern("/mnt/f", 8192).close();
        vfs.open("/mnt/empty", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644).close();
        vfs.mkdir("/mnt/d", 0755);
        vfs.mkdir("/mnt/e", 0755);
        vfs.open("/mnt/e/child", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644).close();
        vfs.symlink("f", "/mnt/lnk");
        vfs.link("/mnt/f", "/mnt/hard");
        vfs.mknod("/mnt/fifo", FIFO, 0);
        vfs.mknod("/mnt/null", CHARDEV, (1 << 8) | 3);
        fx.pattern("/mnt/immf", 100).close();
        vfs.setFlags("/mnt/immf", InodeFlags.IMMUTABLE);
        vfs.mkdir("/mnt/imm", 0755);
        vfs.setFlags("/mnt/imm", InodeFlags.IMMUTABLE);
        vfs.mkdir("/other", 0755);
        fx.pattern("/other/src", 100).close();
        vfs.sync();
    }

    private void remount(String opts) {
        vfs.mount("ignored", "/mnt", null, "remount," + opts);
    }

    private static String path(String arg) {
        return arg.startsWith("@") ? "/other/" + arg.substring(1) : "/mnt/" + arg.replace("LONG", ReadOnlyCases.LONG);
    }

    private static int flags(String names) {
        int f = 0;
        for (String n : names.split("\\|")) {
            f |= switch (n) {
                case "O_RDONLY" -> OpenFlags.O_RDONLY;
                case "O_WRONLY" -> OpenFlags.O_WRONLY;
                case "O_RDWR" -> OpenFlags.O_RDWR;
                case "O_CREAT" -> OpenFlags.O_CREAT;
                case "O_EXCL" -> OpenFlags.O_EXCL;
                case "O_TRUNC" -> OpenFlags.O_TRUNC;
                case "O_NOFOLLOW" -> OpenFlags.O_NOFOLLOW;
                default -> throw new IllegalArgumentException(n);
            };
        }
        return f;
    }

    /** One {@link ReadOnlyCases} case on the model: its errno, or null when it succeeded. */
    private Errno run(ReadOnlyCases.Case k) {
        List<String> a = k.args();
        try {
            switch (k.op()) {
                case "mkdir" -> vfs.mkdir(path(a.get(0)), 0755);
                case "open" -> vfs.open(path(a.get(0)), flags(a.get(1)), 0644).close();
                case "unlink" -> vfs.unlink(path(a.get(0)));
                case "rmdir" -> vfs.rmdir(path(a.get(0)));
                case "rename" -> vfs.rename(path(a.get(0)), path(a.get(1)));
                case "link" -> vfs.link(path(a.get(0)), path(a.get(1)));
                case "symlink" -> vfs.symlink(a.get(0), path(a.get(1)));
                case "mknod" -> vfs.mknod(path(a.get(0)), nodeType(a.get(1)).bits() | 0644, 0);
                case "truncate" -> vfs.truncate(path(a.get(0)), Long.parseLong(a.get(1)));
                case "chmod" -> vfs.chmod(path(a.get(0)), Integer.parseInt(a.get(1), 8));
                case "utimens" -> {
                    long t = a.get(1).equals("omit") ? -1 : 1_000_000_000L;
                    vfs.utimens(path(a.get(0)), t, t);
                }
                case "setflags" -> {
                    int now = vfs.getFlags(path(a.get(0)));
                    vfs.setFlags(path(a.get(0)), a.get(1).equals("noatime") ? now | InodeFlags.NOATIME : now);
                }
                case "fallocate-rdonly" -> {
                    try (OpenFile f = vfs.open(path(a.get(0)), OpenFlags.O_RDONLY, 0)) {
                        f.fallocate(0, 0, 4096);
                    }
                }
                case "mmap-shared-write-rdonly" -> {
                    try (OpenFile f = vfs.open(path(a.get(0)), OpenFlags.O_RDONLY, 0)) {
                        f.mmap(0, 4096, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
                    }
                }
                default -> throw new IllegalArgumentException(k.op());
            }
            return null;
        } catch (KernelException e) {
            return e.errno();
        }
    }

    private static FileType nodeType(String name) {
        return switch (name) {
            case "fifo" -> FileType.FIFO;
            case "dir" -> FileType.DIRECTORY;
            case "symlink" -> FileType.SYMLINK;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void everyWriteIsRefusedInTheKernelsOrderAndNothingChanges() {
        Map<String, Object> before = snapshot("/mnt");
        remount("ro");
        List<String> wrong = new ArrayList<>();
        for (ReadOnlyCases.Case k : ReadOnlyCases.all()) {
            Errno got = run(k);
            if (got != k.expected()) {
                wrong.add(k.what() + ": host " + k.expected() + ", model " + got);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(before, snapshot("/mnt"));
        // through a read-only description too: ioctl_setflags asks mnt_want_write_file
        try (OpenFile f = vfs.open("/mnt/f", OpenFlags.O_RDONLY, 0)) {
            assertEquals(Errno.EROFS, errno(() -> f.setFlags(InodeFlags.NOATIME)));
        }
        // the writable mount next to it is untouched by the flag
        vfs.mkdir("/other/d", 0755);
        vfs.rmdir("/other/d");
    }

    @Test
    void readsWork() {
        remount("ro");
        try (OpenFile f = vfs.open("/mnt/f", OpenFlags.O_RDONLY, 0)) {
            assertArrayEquals(Fixture.patternBytes(0, 8192), Fixture.read(f, 0, 8192));
            FileMapping m = f.mmap(0, 8192, Mmap.PROT_READ, Mmap.MAP_SHARED);
            assertArrayEquals(Fixture.patternBytes(4096, 16), m.read(4096, 16));
            m.munmap();
            FileMapping p = f.mmap(0, 4096, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_PRIVATE);
            p.write(0, new byte[] {9}); // a private copy: the file does not change
            p.munmap();
            assertEquals(Errno.EBADF, errno(() -> f.write(new byte[1], 0, 1)));
            assertEquals(Errno.EINVAL, errno(() -> f.ftruncate(0)));
        }
        assertArrayEquals(Fixture.patternBytes(0, 16), readAll("/mnt/f", 16));
        assertEquals("f", vfs.readlink("/mnt/lnk"));
        assertEquals(8192, vfs.stat("/mnt/lnk").size());
        assertEquals(InodeFlags.IMMUTABLE, vfs.getFlags("/mnt/immf") & InodeFlags.IMMUTABLE);
        assertEquals(
                List.of("child"),
                vfs.readdir("/mnt/e").stream().map(DirEntry::name).toList());
        vfs.statfs("/mnt");
        vfs.chdir("/mnt/d");
        vfs.chdir("/");
        // FIFOs and device nodes are not the filesystem's data: writable on a read-only mount
        try (OpenFile n = vfs.open("/mnt/null", OpenFlags.O_WRONLY, 0)) {
            assertEquals(3, n.write(new byte[3], 0, 3));
        }
    }

    @Test
    void remountRwRestoresWrites() {
        remount("ro");
        assertEquals(Errno.EROFS, errno(() -> vfs.mkdir("/mnt/new", 0755)));
        remount("rw");
        vfs.mkdir("/mnt/new", 0755);
        try (OpenFile f = vfs.open("/mnt/new/x", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644)) {
            f.write("x".getBytes(StandardCharsets.UTF_8), 0, 1);
        }
        vfs.truncate("/mnt/f", 10);
        vfs.chmod("/mnt/f", 0600);
        vfs.rename("/mnt/f", "/mnt/g");
        vfs.unlink("/mnt/g");
        assertEquals(1, vfs.stat("/mnt/new/x").size());
        assertEquals("rw", options("/mnt"));
    }

    @Test
    void procMountsShowsTheMountsFlag() {
        assertEquals("rw", options("/mnt"));
        remount("ro");
        assertEquals("ro", options("/mnt"));
        assertEquals("rw", options("/"));
        remount("ro"); // already read-only: nothing to do, no error (host: rc=0 twice)
        assertEquals("ro", options("/mnt"));
        remount("noatime"); // neither ro nor rw: the flag stays
        assertEquals("ro", options("/mnt"));
        remount("ro,rw");
        assertEquals("rw", options("/mnt"));
    }

    @Test
    void mountDashORoIsReadOnlyFromTheStart() {
        vfs.mkdir("/a", 0755);
        vfs.mkdir("/b", 0755);
        vfs.mount("a", "/a", "other", "ro");
        vfs.mount("b", "/b", "other", "rw,ro"); // the last of ro and rw wins (host: "-o rw,ro" is ro)
        assertEquals("ro", options("/a"));
        assertEquals("ro", options("/b"));
        assertEquals(Errno.EROFS, errno(() -> vfs.mkdir("/a/x", 0755)));
        assertEquals(Errno.EROFS, errno(() -> vfs.open("/b/x", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644)));
        vfs.umount("/b");
        vfs.mount("b", "/b", "other", "ro,rw");
        assertEquals("rw", options("/b"));
    }

    @Test
    void remountReadOnlyIsRefusedWhileAFileIsOpenForWriting() {
        // host (tmpfs and ext4): O_WRONLY and O_RDWR open, any mapping made from an O_RDWR fd (closed or not,
        // shared or private), an unlinked file still open: EBUSY; an O_RDONLY fd or mapping, the cwd inside, an
        // open FIFO or device node: the remount succeeds
        OpenFile w = vfs.open("/mnt/f", OpenFlags.O_WRONLY, 0);
        assertBusyThenFree(w::close);
        OpenFile rw = vfs.open("/mnt/f", OpenFlags.O_RDWR, 0);
        assertBusyThenFree(rw::close);

        OpenFile forShared = vfs.open("/mnt/f", OpenFlags.O_RDWR, 0);
        FileMapping shared = forShared.mmap(0, 4096, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
        forShared.close();
        assertBusyThenFree(shared::munmap);
        OpenFile forPrivate = vfs.open("/mnt/f", OpenFlags.O_RDWR, 0);
        FileMapping priv = forPrivate.mmap(0, 4096, Mmap.PROT_READ, Mmap.MAP_PRIVATE);
        forPrivate.close();
        assertBusyThenFree(priv::munmap);

        vfs.open("/mnt/gone", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644).close();
        OpenFile unlinked = vfs.open("/mnt/gone", OpenFlags.O_RDONLY, 0);
        vfs.unlink("/mnt/gone");
        assertBusyThenFree(unlinked::close);

        OpenFile r = vfs.open("/mnt/f", OpenFlags.O_RDONLY, 0);
        FileMapping readMap = r.mmap(0, 4096, Mmap.PROT_READ, Mmap.MAP_SHARED);
        OpenFile fifo = vfs.open("/mnt/fifo", OpenFlags.O_RDWR, 0);
        OpenFile dev = vfs.open("/mnt/null", OpenFlags.O_WRONLY, 0);
        vfs.chdir("/mnt/d");
        remount("ro");
        assertEquals("ro", options("/mnt"));
        readMap.munmap();
        r.close();
        fifo.close();
        dev.close();
        vfs.chdir("/");
    }

    private void assertBusyThenFree(Runnable release) {
        other.calls.clear();
        assertEquals(Errno.EBUSY, errno(() -> remount("ro")));
        assertEquals("rw", options("/mnt"));
        assertTrue(other.calls.isEmpty(), "a refused remount writes nothing back: " + other.calls);
        release.run();
        remount("ro");
        assertEquals("ro", options("/mnt"));
        remount("rw");
    }

    @Test
    void remountReadOnlyWritesBackDirtyPagesFirst() {
        try (OpenFile f = vfs.open("/mnt/f", OpenFlags.O_WRONLY, 0)) {
            f.pwrite(4096, new byte[] {1, 2, 3}, 0, 3);
        }
        other.calls.clear();
        remount("ro");
        assertEquals(List.of("writepage 1", "sync_fs ro-src"), other.calls);
        other.calls.clear();
        remount("rw");
        remount("ro"); // nothing dirty any more
        assertEquals(List.of("sync_fs ro-src"), other.calls);
    }

    @Test
    void remountBadInput() {
        Map<String, Object> before = snapshot("/mnt");
        assertEquals(Errno.EINVAL, errno(() -> vfs.mount("x", "/mnt/d", null, "remount,ro"))); // not a mount point
        assertEquals(Errno.ENOENT, errno(() -> vfs.mount("x", "/mnt/nope", null, "remount,ro")));
        assertEquals(Errno.EINVAL, errno(() -> vfs.mount("x", "/mnt", null, "remount,ro,size=1m")));
        assertEquals("rw", options("/mnt"));
        assertEquals(before, snapshot("/mnt"));
    }

    private String options(String target) {
        for (MountInfo m : vfs.mounts()) {
            if (m.target().equals(target)) {
                return m.options();
            }
        }
        throw new AssertionError("not mounted: " + target);
    }

    private byte[] readAll(String path, int len) {
        try (OpenFile f = vfs.open(path, OpenFlags.O_RDONLY, 0)) {
            return Fixture.read(f, 0, len);
        }
    }

    /** Every name below {@code dir} with its lstat and, for regular files, its bytes. */
    private Map<String, Object> snapshot(String dir) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (DirEntry e : vfs.readdir(dir)) {
            String p = dir + "/" + e.name();
            Stat st = vfs.lstat(p);
            out.put(p, st);
            if (st.type() == FileType.REGULAR) {
                out.put(p + "#data", new String(readAll(p, (int) st.size()), StandardCharsets.ISO_8859_1));
            } else if (st.type() == FileType.DIRECTORY) {
                out.putAll(snapshot(p));
            }
        }
        return out;
    }
}
