package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmodel.vfs.FallocateMode.COLLAPSE_RANGE;
import static org.kmodel.vfs.FallocateMode.INSERT_RANGE;
import static org.kmodel.vfs.FallocateMode.KEEP_SIZE;
import static org.kmodel.vfs.FallocateMode.NO_HIDE_STALE;
import static org.kmodel.vfs.FallocateMode.PUNCH_HOLE;
import static org.kmodel.vfs.FallocateMode.UNSHARE_RANGE;
import static org.kmodel.vfs.FallocateMode.WRITE_ZEROES;
import static org.kmodel.vfs.FallocateMode.ZERO_RANGE;
import static org.kmodel.vfs.internal.Fixture.errno;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.InodeFlags;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;

/** The VFS rows of the kernel matrix (identical on every filesystem) and the check order of docs/vfs.md. */
class VfsFallocateTest {
    private static final long K64 = 65536;

    static Stream<Arguments> vfsRows() {
        long max = MemFs.caps().maxBytes();
        return Stream.of(
                // id, mode, offset, len, expected errno on 6.18 (null = OK), on 3.15
                Arguments.of("v.len0", 0, 0L, 0L, Errno.EINVAL, Errno.EINVAL),
                Arguments.of("v.lenneg", 0, 0L, -1L, Errno.EINVAL, Errno.EINVAL),
                Arguments.of("v.offneg", 0, -1L, 4096L, Errno.EINVAL, Errno.EINVAL),
                Arguments.of("v.collapse.len0", COLLAPSE_RANGE, 4096L, 0L, Errno.EINVAL, Errno.EINVAL),
                Arguments.of("v.wrap", 0, Long.MAX_VALUE - 10, 4096L, Errno.EFBIG, Errno.EFBIG),
                Arguments.of("v.unknownbit", 0x100, 0L, 4096L, Errno.EOPNOTSUPP, Errno.EOPNOTSUPP),
                Arguments.of("v.nohide", NO_HIDE_STALE, 0L, 4096L, Errno.EOPNOTSUPP, Errno.EOPNOTSUPP),
                Arguments.of(
                        "v.nohide.punch",
                        PUNCH_HOLE | KEEP_SIZE | NO_HIDE_STALE,
                        0L,
                        4096L,
                        Errno.EOPNOTSUPP,
                        Errno.EOPNOTSUPP),
                Arguments.of("v.punch.nokeep", PUNCH_HOLE, 0L, 4096L, Errno.EOPNOTSUPP, Errno.EOPNOTSUPP),
                Arguments.of(
                        "v.punch.zero",
                        PUNCH_HOLE | ZERO_RANGE | KEEP_SIZE,
                        0L,
                        4096L,
                        Errno.EOPNOTSUPP,
                        Errno.EOPNOTSUPP),
                Arguments.of(
                        "v.collapse.keep", COLLAPSE_RANGE | KEEP_SIZE, 4096L, 4096L, Errno.EOPNOTSUPP, Errno.EINVAL),
                Arguments.of(
                        "v.insert.keep", INSERT_RANGE | KEEP_SIZE, 4096L, 4096L, Errno.EOPNOTSUPP, Errno.EOPNOTSUPP),
                Arguments.of(
                        "v.collapse.punch",
                        COLLAPSE_RANGE | PUNCH_HOLE | KEEP_SIZE,
                        4096L,
                        4096L,
                        Errno.EOPNOTSUPP,
                        Errno.EINVAL),
                Arguments.of(
                        "v.collapse.insert",
                        COLLAPSE_RANGE | INSERT_RANGE,
                        4096L,
                        4096L,
                        Errno.EOPNOTSUPP,
                        Errno.EOPNOTSUPP),
                Arguments.of(
                        "v.zero.unshare", ZERO_RANGE | UNSHARE_RANGE, 0L, 4096L, Errno.EOPNOTSUPP, Errno.EOPNOTSUPP),
                Arguments.of("v.wz", WRITE_ZEROES, 0L, 4096L, Errno.EOPNOTSUPP, Errno.EOPNOTSUPP),
                Arguments.of("v.maxbytes", KEEP_SIZE, max, 4096L, Errno.EFBIG, Errno.EFBIG),
                Arguments.of("v.maxbytes.eq", KEEP_SIZE, max - 4096, 4096L, null, null),
                Arguments.of("c.mid", COLLAPSE_RANGE, 4096L, 4096L, null, null),
                Arguments.of("i.mid", INSERT_RANGE, 4096L, 4096L, null, Errno.EOPNOTSUPP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vfsRows")
    void rowOn618(String id, int mode, long off, long len, Errno on618, Errno on315) {
        check(KernelRelease.V6_18, mode, off, len, on618);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vfsRows")
    void rowOn315(String id, int mode, long off, long len, Errno on618, Errno on315) {
        check(KernelRelease.V3_15, mode, off, len, on315);
    }

    private static void check(KernelRelease r, int mode, long off, long len, Errno expected) {
        Fixture fx = new Fixture(r);
        OpenFile f = fx.pattern("/f", K64);
        byte[] before = Fixture.read(f, 0, (int) K64);
        if (expected == null) {
            f.fallocate(mode, off, len);
        } else {
            assertEquals(expected, errno(() -> f.fallocate(mode, off, len)));
            assertEquals(K64, f.fstat().size());
            assertArrayEquals(before, Fixture.read(f, 0, (int) K64), "a failed fallocate changed data");
            assertFalse(fx.fs.calls.stream().anyMatch(c -> c.startsWith("fallocate")), "fs was asked");
        }
    }

    @Test
    void on314CollapseIsAnUnknownMode() {
        Fixture fx = new Fixture(KernelRelease.V3_14);
        OpenFile f = fx.pattern("/f", K64);
        assertEquals(Errno.EOPNOTSUPP, errno(() -> f.fallocate(COLLAPSE_RANGE, 4096, 4096)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> f.fallocate(ZERO_RANGE, 4096, 4096)));
        f.fallocate(PUNCH_HOLE | KEEP_SIZE, 4096, 4096);
    }

    @Test
    void orderPairsOfFaults() {
        Fixture fx = new Fixture();
        fx.pattern("/f", K64).close();
        OpenFile ro = fx.vfs.open("/f", OpenFlags.O_RDONLY, 0);
        assertEquals(Errno.EBADF, errno(() -> ro.fallocate(0, 0, 4096))); // v.rdonly
        assertEquals(Errno.EOPNOTSUPP, errno(() -> ro.fallocate(PUNCH_HOLE, 0, 4096))); // v.rdonly.bad
        assertEquals(Errno.EINVAL, errno(() -> ro.fallocate(0, 0, 0))); // v.rdonly.len0
        OpenFile rw = fx.vfs.open("/f", OpenFlags.O_RDWR, 0);
        fx.vfs.setFlags("/f", InodeFlags.IMMUTABLE);
        assertEquals(Errno.EPERM, errno(() -> rw.fallocate(KEEP_SIZE, 0, 4096))); // v.immutable.keep
        assertEquals(Errno.EOPNOTSUPP, errno(() -> rw.fallocate(0x100, 0, 4096))); // v.immutable.bad
        fx.vfs.setFlags("/f", 0);
        fx.vfs.swapon("/f");
        assertEquals(Errno.ETXTBSY, errno(() -> rw.fallocate(KEEP_SIZE, 0, 4096)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> rw.fallocate(PUNCH_HOLE, 0, 4096)));
        fx.vfs.swapoff("/f");
        rw.close();
        assertEquals(Errno.EBADF, errno(() -> rw.fallocate(0, 0, 4096)));
    }

    @Test
    void appendOnlyAndOappend() {
        Fixture fx = new Fixture();
        fx.pattern("/f", K64).close();
        OpenFile wa = fx.vfs.open("/f", OpenFlags.O_WRONLY | OpenFlags.O_APPEND, 0);
        fx.vfs.setFlags("/f", InodeFlags.APPEND);
        assertEquals(Errno.EPERM, errno(() -> wa.fallocate(PUNCH_HOLE | KEEP_SIZE, 0, 4096)));
        assertEquals(Errno.EPERM, errno(() -> wa.fallocate(COLLAPSE_RANGE, 4096, 4096)));
        wa.fallocate(KEEP_SIZE, K64, 4096);
        assertEquals(K64, wa.fstat().size());
        wa.fallocate(0, K64, 4096);
        assertEquals(K64 + 4096, wa.fstat().size());
        fx.vfs.setFlags("/f", 0);
        wa.fallocate(COLLAPSE_RANGE, 4096, 4096); // v.oappend: O_APPEND itself is irrelevant
        assertEquals(K64, wa.fstat().size());
    }

    @Test
    void specialFiles() {
        Fixture fx = new Fixture();
        fx.vfs.mknod("/fifo", FileType.FIFO.bits() | 0644, 0);
        fx.vfs.mknod("/null", FileType.CHARDEV.bits() | 0666, (1 << 8) | 3);
        OpenFile fifo = fx.vfs.open("/fifo", OpenFlags.O_RDWR, 0);
        assertEquals(Errno.ESPIPE, errno(() -> fifo.fallocate(0, 0, 4096)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> fifo.fallocate(PUNCH_HOLE, 0, 4096)));
        OpenFile fifoRead = fx.vfs.open("/fifo", OpenFlags.O_RDONLY, 0);
        assertEquals(Errno.EBADF, errno(() -> fifoRead.fallocate(0, 0, 4096)));
        OpenFile nul = fx.vfs.open("/null", OpenFlags.O_WRONLY, 0);
        assertEquals(Errno.ENODEV, errno(() -> nul.fallocate(0, 0, 4096)));
        OpenFile dir = fx.vfs.open("/", OpenFlags.O_RDONLY, 0);
        assertEquals(Errno.EBADF, errno(() -> dir.fallocate(0, 0, 4096)));
        OpenFile path = fx.vfs.open("/null", OpenFlags.O_PATH, 0);
        assertEquals(Errno.EBADF, errno(() -> path.fallocate(0, 0, 4096)));
    }

    @Test
    void successUpdatesTimesAndClearsSetId() throws Exception {
        Fixture fx = new Fixture();
        OpenFile f = fx.pattern("/f", K64);
        fx.vfs.chmod("/f", 06777);
        long mtime = f.fstat().mtime();
        Thread.sleep(2);
        f.fallocate(KEEP_SIZE, K64, 4096);
        assertEquals(0777, f.fstat().permissions());
        assertNotEquals(mtime, f.fstat().mtime());
        fx.vfs.chmod("/f", 06767); // SGID without group-exec is not a set-id bit: kept
        f.fallocate(KEEP_SIZE, K64, 4096);
        assertEquals(02767, f.fstat().permissions());
        fx.vfs.chmod("/f", 06777);
        assertEquals(Errno.EINVAL, errno(() -> f.fallocate(COLLAPSE_RANGE, 4096, 1000)));
        assertEquals(06777, f.fstat().permissions(), "a failed call must not clear set-id bits");
    }

    @Test
    void fsRefusalComesBeforeAnyPageCacheWork() {
        Fixture fx = new Fixture();
        OpenFile f = fx.pattern("/f", K64);
        byte[] dirty = "dirty".getBytes();
        f.pwrite(8192, dirty, 0, dirty.length);
        fx.fs.calls.clear();
        assertEquals(Errno.EINVAL, errno(() -> f.fallocate(COLLAPSE_RANGE, 60 * 1024, 4096))); // c.reach.eof
        assertTrue(fx.fs.calls.stream().noneMatch(c -> c.startsWith("writepage")), fx.fs.calls.toString());
    }
}
