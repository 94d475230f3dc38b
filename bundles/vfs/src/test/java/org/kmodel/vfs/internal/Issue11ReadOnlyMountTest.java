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
 * <p>The expected errnos were measured on the host (Linux 6.18, as root): the tree {@link #populate} builds was made
 * on a tmpfs ({@code mount -t tmpfs none t; ...; mount -o remount,ro t}), on an ext4 image and on an xfs image
 * ({@code mount -o loop,ro}), and each system call below was made on it from Python ({@code os.mkdir},
 * {@code os.open}, {@code os.rename}, ..., {@code utimensat} and {@code ioctl(FS_IOC_SETFLAGS)} through ctypes);
 * the three filesystems gave the same errno for every case. The remount cases were measured the same way with
 * {@code mount -o remount,ro} while a file was open or mapped (tmpfs and ext4 agree).
 */
class Issue11ReadOnlyMountTest {
    private static final int FIFO = FileType.FIFO.bits() | 0644;
    private static final int CHARDEV = FileType.CHARDEV.bits() | 0644;
    private static final String LONG = "n".repeat(256);

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

    private static void open(VfsCore vfs, String path, int flags) {
        vfs.open(path, flags, 0644).close();
    }

    /** One row of the host measurement: what the call is, and the host's errno (null: it succeeded). */
    private record Case(String what, Errno expected, Runnable call) {}

    private List<Case> cases() {
        int w = OpenFlags.O_WRONLY;
        int c = OpenFlags.O_CREAT;
        List<Case> k = new ArrayList<>();
        k.add(new Case("mkdir missing/x", Errno.ENOENT, () -> vfs.mkdir("/mnt/missing/x", 0755)));
        k.add(new Case("mkdir f (exists)", Errno.EEXIST, () -> vfs.mkdir("/mnt/f", 0755)));
        k.add(new Case("mkdir d (exists)", Errno.EEXIST, () -> vfs.mkdir("/mnt/d", 0755)));
        k.add(new Case("mkdir d/.", Errno.EEXIST, () -> vfs.mkdir("/mnt/d/.", 0755)));
        k.add(new Case("mkdir d/..", Errno.EEXIST, () -> vfs.mkdir("/mnt/d/..", 0755)));
        k.add(new Case("mkdir longname", Errno.ENAMETOOLONG, () -> vfs.mkdir("/mnt/" + LONG, 0755)));
        k.add(new Case("mkdir new", Errno.EROFS, () -> vfs.mkdir("/mnt/new", 0755)));
        k.add(new Case("mkdir f/x", Errno.ENOTDIR, () -> vfs.mkdir("/mnt/f/x", 0755)));
        k.add(new Case("mkdir imm/x (immutable dir)", Errno.EROFS, () -> vfs.mkdir("/mnt/imm/x", 0755)));
        k.add(new Case("open O_CREAT|O_RDONLY existing", null, () -> open(vfs, "/mnt/f", c)));
        k.add(new Case("open O_CREAT|O_WRONLY existing", Errno.EROFS, () -> open(vfs, "/mnt/f", c | w)));
        k.add(new Case("open O_WRONLY", Errno.EROFS, () -> open(vfs, "/mnt/f", w)));
        k.add(new Case("open O_RDWR", Errno.EROFS, () -> open(vfs, "/mnt/f", OpenFlags.O_RDWR)));
        k.add(new Case("open O_RDONLY|O_TRUNC", Errno.EROFS, () -> open(vfs, "/mnt/f", OpenFlags.O_TRUNC)));
        k.add(new Case("open O_RDONLY|O_TRUNC empty", Errno.EROFS, () -> open(vfs, "/mnt/empty", OpenFlags.O_TRUNC)));
        k.add(new Case("open O_CREAT new", Errno.EROFS, () -> open(vfs, "/mnt/new", c | w)));
        k.add(new Case("open O_CREAT|O_RDONLY new", Errno.EROFS, () -> open(vfs, "/mnt/new", c)));
        k.add(new Case("open O_CREAT missing/new", Errno.ENOENT, () -> open(vfs, "/mnt/missing/new", c | w)));
        k.add(new Case(
                "open O_CREAT|O_EXCL existing", Errno.EEXIST, () -> open(vfs, "/mnt/f", c | w | OpenFlags.O_EXCL)));
        k.add(new Case(
                "open O_CREAT|O_EXCL longname",
                Errno.ENAMETOOLONG,
                () -> open(vfs, "/mnt/" + LONG, c | w | OpenFlags.O_EXCL)));
        k.add(new Case("open O_WRONLY dir", Errno.EISDIR, () -> open(vfs, "/mnt/d", w)));
        k.add(new Case("open O_CREAT|O_RDONLY dir", Errno.EISDIR, () -> open(vfs, "/mnt/d", c)));
        k.add(new Case("open O_CREAT d/", Errno.EISDIR, () -> open(vfs, "/mnt/d/", c)));
        k.add(new Case("open O_RDWR fifo", null, () -> open(vfs, "/mnt/fifo", OpenFlags.O_RDWR)));
        k.add(new Case("open O_WRONLY chardev", null, () -> open(vfs, "/mnt/null", w)));
        k.add(new Case("open O_WRONLY|O_TRUNC chardev", null, () -> open(vfs, "/mnt/null", w | OpenFlags.O_TRUNC)));
        k.add(new Case("open O_WRONLY immutable", Errno.EROFS, () -> open(vfs, "/mnt/immf", w)));
        k.add(new Case("open O_WRONLY symlink->f", Errno.EROFS, () -> open(vfs, "/mnt/lnk", w)));
        k.add(new Case(
                "open O_WRONLY|O_NOFOLLOW symlink",
                Errno.ELOOP,
                () -> open(vfs, "/mnt/lnk", w | OpenFlags.O_NOFOLLOW)));
        k.add(new Case("unlink missing", Errno.EROFS, () -> vfs.unlink("/mnt/missing")));
        k.add(new Case("unlink d (dir)", Errno.EROFS, () -> vfs.unlink("/mnt/d")));
        k.add(new Case("unlink d/.", Errno.EISDIR, () -> vfs.unlink("/mnt/d/.")));
        k.add(new Case("unlink f", Errno.EROFS, () -> vfs.unlink("/mnt/f")));
        k.add(new Case("unlink missing/x", Errno.ENOENT, () -> vfs.unlink("/mnt/missing/x")));
        k.add(new Case("unlink longname", Errno.EROFS, () -> vfs.unlink("/mnt/" + LONG)));
        k.add(new Case("rmdir missing", Errno.EROFS, () -> vfs.rmdir("/mnt/missing")));
        k.add(new Case("rmdir d/.", Errno.EINVAL, () -> vfs.rmdir("/mnt/d/.")));
        k.add(new Case("rmdir d/..", Errno.ENOTEMPTY, () -> vfs.rmdir("/mnt/d/..")));
        k.add(new Case("rmdir f (not a dir)", Errno.EROFS, () -> vfs.rmdir("/mnt/f")));
        k.add(new Case("rmdir e (not empty)", Errno.EROFS, () -> vfs.rmdir("/mnt/e")));
        k.add(new Case("rmdir d", Errno.EROFS, () -> vfs.rmdir("/mnt/d")));
        k.add(new Case("rmdir missing/x", Errno.ENOENT, () -> vfs.rmdir("/mnt/missing/x")));
        k.add(new Case("rename missing -> x", Errno.EROFS, () -> vfs.rename("/mnt/missing", "/mnt/x")));
        k.add(new Case("rename f -> g", Errno.EROFS, () -> vfs.rename("/mnt/f", "/mnt/g")));
        k.add(new Case("rename f -> f", Errno.EROFS, () -> vfs.rename("/mnt/f", "/mnt/f")));
        k.add(new Case("rename f -> hard (same inode)", Errno.EROFS, () -> vfs.rename("/mnt/f", "/mnt/hard")));
        k.add(new Case("rename d/. -> x", Errno.EBUSY, () -> vfs.rename("/mnt/d/.", "/mnt/x")));
        k.add(new Case("rename f -> other mount", Errno.EXDEV, () -> vfs.rename("/mnt/f", "/other/x")));
        k.add(new Case("rename missing -> other mount", Errno.EXDEV, () -> vfs.rename("/mnt/missing", "/other/x")));
        k.add(new Case("rename other -> ro", Errno.EXDEV, () -> vfs.rename("/other/src", "/mnt/x")));
        k.add(new Case("rename f -> d", Errno.EROFS, () -> vfs.rename("/mnt/f", "/mnt/d")));
        k.add(new Case("rename missing/x -> y", Errno.ENOENT, () -> vfs.rename("/mnt/missing/x", "/mnt/y")));
        k.add(new Case("link f -> f2", Errno.EROFS, () -> vfs.link("/mnt/f", "/mnt/f2")));
        k.add(new Case("link f -> empty (exists)", Errno.EEXIST, () -> vfs.link("/mnt/f", "/mnt/empty")));
        k.add(new Case("link missing -> f2", Errno.ENOENT, () -> vfs.link("/mnt/missing", "/mnt/f2")));
        k.add(new Case("link d -> d2 (dir)", Errno.EROFS, () -> vfs.link("/mnt/d", "/mnt/d2")));
        k.add(new Case("link f -> other mount", Errno.EXDEV, () -> vfs.link("/mnt/f", "/other/lnk")));
        k.add(new Case("link other -> ro", Errno.EROFS, () -> vfs.link("/other/src", "/mnt/x")));
        k.add(new Case("link immf -> x", Errno.EROFS, () -> vfs.link("/mnt/immf", "/mnt/x")));
        k.add(new Case("symlink new", Errno.EROFS, () -> vfs.symlink("f", "/mnt/sl")));
        k.add(new Case("symlink existing", Errno.EEXIST, () -> vfs.symlink("f", "/mnt/f")));
        k.add(new Case("symlink empty target", Errno.ENOENT, () -> vfs.symlink("", "/mnt/sl")));
        k.add(new Case("symlink missing/x", Errno.ENOENT, () -> vfs.symlink("f", "/mnt/missing/x")));
        k.add(new Case("mknod fifo new", Errno.EROFS, () -> vfs.mknod("/mnt/fifo2", FIFO, 0)));
        k.add(new Case("mknod fifo existing", Errno.EEXIST, () -> vfs.mknod("/mnt/f", FIFO, 0)));
        k.add(new Case("truncate f 0", Errno.EROFS, () -> vfs.truncate("/mnt/f", 0)));
        k.add(new Case("truncate d", Errno.EISDIR, () -> vfs.truncate("/mnt/d", 0)));
        k.add(new Case("truncate fifo", Errno.EINVAL, () -> vfs.truncate("/mnt/fifo", 0)));
        k.add(new Case("truncate f -1", Errno.EINVAL, () -> vfs.truncate("/mnt/f", -1)));
        k.add(new Case("truncate missing -1", Errno.EINVAL, () -> vfs.truncate("/mnt/missing", -1)));
        k.add(new Case("truncate missing 0", Errno.ENOENT, () -> vfs.truncate("/mnt/missing", 0)));
        k.add(new Case("truncate f 2^62 (EFBIG on rw)", Errno.EROFS, () -> vfs.truncate("/mnt/f", 1L << 62)));
        k.add(new Case("truncate immf", Errno.EROFS, () -> vfs.truncate("/mnt/immf", 0)));
        k.add(new Case("chmod f", Errno.EROFS, () -> vfs.chmod("/mnt/f", 0600)));
        k.add(new Case("chmod f same mode", Errno.EROFS, () -> vfs.chmod("/mnt/f", 0644)));
        k.add(new Case("chmod missing", Errno.ENOENT, () -> vfs.chmod("/mnt/missing", 0600)));
        k.add(new Case("chmod immf", Errno.EROFS, () -> vfs.chmod("/mnt/immf", 0600)));
        k.add(new Case("chmod fifo", Errno.EROFS, () -> vfs.chmod("/mnt/fifo", 0600)));
        k.add(new Case("utimens f", Errno.EROFS, () -> vfs.utimens("/mnt/f", 1_000_000_000L, 1_000_000_000L)));
        k.add(new Case("utimens f both UTIME_OMIT", null, () -> vfs.utimens("/mnt/f", -1, -1)));
        k.add(new Case("utimens missing", Errno.ENOENT, () -> vfs.utimens("/mnt/missing", 1, 1)));
        k.add(new Case("utimens immf", Errno.EROFS, () -> vfs.utimens("/mnt/immf", 1, 1)));
        k.add(new Case("setflags f (same flags)", Errno.EROFS, () -> vfs.setFlags("/mnt/f", vfs.getFlags("/mnt/f"))));
        k.add(new Case("setflags f +A", Errno.EROFS, () -> vfs.setFlags("/mnt/f", InodeFlags.NOATIME)));
        k.add(new Case("setflags fifo", Errno.EROFS, () -> vfs.setFlags("/mnt/fifo", 0)));
        k.add(new Case("setflags dir", Errno.EROFS, () -> vfs.setFlags("/mnt/d", 0)));
        k.add(new Case("setflags through an O_RDONLY fd", Errno.EROFS, () -> {
            try (OpenFile f = vfs.open("/mnt/f", OpenFlags.O_RDONLY, 0)) {
                f.setFlags(InodeFlags.NOATIME);
            }
        }));
        // with no writable description to be had, the fd-based writes see an O_RDONLY one: as on rw, not EROFS
        k.add(new Case("fallocate O_RDONLY fd", Errno.EBADF, () -> {
            try (OpenFile f = vfs.open("/mnt/f", OpenFlags.O_RDONLY, 0)) {
                f.fallocate(0, 0, 4096);
            }
        }));
        k.add(new Case("mmap MAP_SHARED PROT_WRITE O_RDONLY fd", Errno.EACCES, () -> {
            try (OpenFile f = vfs.open("/mnt/f", OpenFlags.O_RDONLY, 0)) {
                f.mmap(0, 4096, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
            }
        }));
        return k;
    }

    @Test
    void everyWriteIsRefusedInTheKernelsOrderAndNothingChanges() {
        Map<String, Object> before = snapshot("/mnt");
        remount("ro");
        List<String> wrong = new ArrayList<>();
        for (Case k : cases()) {
            Errno got = null;
            try {
                k.call().run();
            } catch (KernelException e) {
                got = e.errno();
            }
            if (got != k.expected()) {
                wrong.add(k.what() + ": host " + k.expected() + ", model " + got);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(before, snapshot("/mnt"));
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
