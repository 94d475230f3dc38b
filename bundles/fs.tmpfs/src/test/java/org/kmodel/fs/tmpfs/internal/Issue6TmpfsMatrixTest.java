package org.kmodel.fs.tmpfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kmodel.vfs.FallocateMode.COLLAPSE_RANGE;
import static org.kmodel.vfs.FallocateMode.INSERT_RANGE;
import static org.kmodel.vfs.FallocateMode.KEEP_SIZE;
import static org.kmodel.vfs.FallocateMode.NO_HIDE_STALE;
import static org.kmodel.vfs.FallocateMode.PUNCH_HOLE;
import static org.kmodel.vfs.FallocateMode.UNSHARE_RANGE;
import static org.kmodel.vfs.FallocateMode.WRITE_ZEROES;
import static org.kmodel.vfs.FallocateMode.ZERO_RANGE;

import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmodel.kernel.Errno;
import org.kmodel.vfs.InodeFlags;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.testing.TestVfs;

/**
 * The tmpfs column of the kernel matrix (docs/vfs.md#the-errno-matrix), row for row: result, resulting size, and content (checked against an
 * independent byte-array model of tmpfs: allocation never changes data, punch zeroes [offset, min(end, EOF))),
 * plus st_blocks where the recorded matrix has it for tmpfs.
 */
class Issue6TmpfsMatrixTest {
    private static final long K = 1024;
    private static final long K64 = 64 * K;
    private static final long MAX = Long.MAX_VALUE;

    /** Builds the file a row starts from. */
    interface Setup extends BiFunction<TmpfsFixture, String, OpenFile> {}

    private static final Setup PATTERN64 = (fx, p) -> fx.pattern(p, K64);
    private static final Setup UNAL = (fx, p) -> fx.pattern(p, K64 + 104);
    private static final Setup P192 = (fx, p) -> fx.pattern(p, 192 * K);
    private static final Setup HALFSPARSE = TmpfsFixture::halfsparse;
    private static final Setup PREALLOC = (fx, p) -> {
        OpenFile f = fx.pattern(p, K64);
        f.fallocate(KEEP_SIZE, K64, K64);
        return f;
    };

    private static Arguments row(
            String id, Setup setup, int mode, long off, long len, Errno errno, long size, long blocks) {
        return Arguments.of(id, setup, mode, off, len, errno, size, blocks);
    }

    static Stream<Arguments> rows() {
        long insertEfbigLen = (MAX - 4096) & ~(K64 - 1);
        return Stream.of(
                row("v.len0", PATTERN64, 0, 0, 0, Errno.EINVAL, K64, -1),
                row("v.lenneg", PATTERN64, 0, 0, -1, Errno.EINVAL, K64, -1),
                row("v.offneg", PATTERN64, 0, -1, 4096, Errno.EINVAL, K64, -1),
                row("v.collapse.len0", PATTERN64, COLLAPSE_RANGE, 4096, 0, Errno.EINVAL, K64, -1),
                row("v.wrap", PATTERN64, 0, MAX - 100, 4096, Errno.EFBIG, K64, -1),
                row("v.unknownbit", PATTERN64, 0x100, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("v.nohide", PATTERN64, NO_HIDE_STALE, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row(
                        "v.nohide.punch",
                        PATTERN64,
                        PUNCH_HOLE | KEEP_SIZE | NO_HIDE_STALE,
                        0,
                        4096,
                        Errno.EOPNOTSUPP,
                        K64,
                        -1),
                row("v.punch.nokeep", PATTERN64, PUNCH_HOLE, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("v.punch.zero", PATTERN64, PUNCH_HOLE | ZERO_RANGE | KEEP_SIZE, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("v.collapse.keep", PATTERN64, COLLAPSE_RANGE | KEEP_SIZE, 4096, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("v.insert.keep", PATTERN64, INSERT_RANGE | KEEP_SIZE, 4096, 4096, Errno.EOPNOTSUPP, K64, -1),
                row(
                        "v.collapse.punch",
                        PATTERN64,
                        COLLAPSE_RANGE | PUNCH_HOLE | KEEP_SIZE,
                        4096,
                        4096,
                        Errno.EOPNOTSUPP,
                        K64,
                        -1),
                row(
                        "v.collapse.insert",
                        PATTERN64,
                        COLLAPSE_RANGE | INSERT_RANGE,
                        4096,
                        4096,
                        Errno.EOPNOTSUPP,
                        K64,
                        -1),
                row("v.zero.unshare", PATTERN64, ZERO_RANGE | UNSHARE_RANGE, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("v.unshare", PATTERN64, UNSHARE_RANGE, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("v.unshare.keep", PATTERN64, UNSHARE_RANGE | KEEP_SIZE, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("v.wz", PATTERN64, WRITE_ZEROES, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("v.wz.keep", PATTERN64, WRITE_ZEROES | KEEP_SIZE, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("v.maxbytes", PATTERN64, KEEP_SIZE, MAX - 4095, 8192, Errno.EFBIG, K64, -1),
                row("v.maxbytes.eq", PATTERN64, KEEP_SIZE, MAX - 4096, 4096, null, K64, -1),
                row("c.mid", PATTERN64, COLLAPSE_RANGE, 4096, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("c.zero", PATTERN64, COLLAPSE_RANGE, 0, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("c.big", PATTERN64, COLLAPSE_RANGE, 16 * K, 32 * K, Errno.EOPNOTSUPP, K64, -1),
                row("c.1k", PATTERN64, COLLAPSE_RANGE, K, K, Errno.EOPNOTSUPP, K64, -1),
                row("c.64k", P192, COLLAPSE_RANGE, K64, K64, Errno.EOPNOTSUPP, 192 * K, -1),
                row("c.unal.off", PATTERN64, COLLAPSE_RANGE, 1000, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("c.unal.len", PATTERN64, COLLAPSE_RANGE, 4096, 1000, Errno.EOPNOTSUPP, K64, -1),
                row("c.reach.eof", PATTERN64, COLLAPSE_RANGE, 60 * K, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("c.whole", PATTERN64, COLLAPSE_RANGE, 0, K64, Errno.EOPNOTSUPP, K64, -1),
                row("c.cross.eof", PATTERN64, COLLAPSE_RANGE, 60 * K, 8 * K, Errno.EOPNOTSUPP, K64, -1),
                row("c.beyond.eof", PATTERN64, COLLAPSE_RANGE, 128 * K, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("c.unal.size", UNAL, COLLAPSE_RANGE, 4096, 4096, Errno.EOPNOTSUPP, K64 + 104, -1),
                row("c.unal.size.tail", UNAL, COLLAPSE_RANGE, 60 * K, 4096, Errno.EOPNOTSUPP, K64 + 104, -1),
                row("c.hole", HALFSPARSE, COLLAPSE_RANGE, 8 * K, 8 * K, Errno.EOPNOTSUPP, K64, -1),
                row("c.across.holedata", HALFSPARSE, COLLAPSE_RANGE, 24 * K, 16 * K, Errno.EOPNOTSUPP, K64, -1),
                row("c.posteof", PREALLOC, COLLAPSE_RANGE, 4096, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("i.mid", PATTERN64, INSERT_RANGE, 4096, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("i.zero", PATTERN64, INSERT_RANGE, 0, 8 * K, Errno.EOPNOTSUPP, K64, -1),
                row("i.1k", PATTERN64, INSERT_RANGE, K, K, Errno.EOPNOTSUPP, K64, -1),
                row("i.64k", P192, INSERT_RANGE, K64, K64, Errno.EOPNOTSUPP, 192 * K, -1),
                row("i.at.eof", PATTERN64, INSERT_RANGE, K64, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("i.beyond.eof", PATTERN64, INSERT_RANGE, 68 * K, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("i.last.block", PATTERN64, INSERT_RANGE, 60 * K, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("i.unal.off", PATTERN64, INSERT_RANGE, 1000, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("i.unal.len", PATTERN64, INSERT_RANGE, 4096, 1000, Errno.EOPNOTSUPP, K64, -1),
                row("i.unal.size", UNAL, INSERT_RANGE, 4096, 4096, Errno.EOPNOTSUPP, K64 + 104, -1),
                row("i.unal.size.lastpartial", UNAL, INSERT_RANGE, K64, 4096, Errno.EOPNOTSUPP, K64 + 104, -1),
                row("i.efbig", PATTERN64, INSERT_RANGE, 0, insertEfbigLen, Errno.EOPNOTSUPP, K64, -1),
                row("i.efbig.at.eof", PATTERN64, INSERT_RANGE, K64, insertEfbigLen, Errno.EFBIG, K64, -1),
                row("i.hole", HALFSPARSE, INSERT_RANGE, 8 * K, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("i.posteof", PREALLOC, INSERT_RANGE, 4096, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("p.mid", PATTERN64, PUNCH_HOLE | KEEP_SIZE, 4 * K, 8 * K, null, K64, 112),
                row("p.unal", PATTERN64, PUNCH_HOLE | KEEP_SIZE, 1000, 5000, null, K64, 128),
                row("p.unal.big", PATTERN64, PUNCH_HOLE | KEEP_SIZE, 1000, 10000, null, K64, 120),
                row("p.cross.eof", PATTERN64, PUNCH_HOLE | KEEP_SIZE, 60 * K, 16 * K, null, K64, 120),
                row("p.beyond.eof", PATTERN64, PUNCH_HOLE | KEEP_SIZE, 128 * K, 4096, null, K64, 128),
                row("p.posteof.prealloc", PREALLOC, PUNCH_HOLE | KEEP_SIZE, K64, K64, null, K64, 128),
                row("p.unal.eof", UNAL, PUNCH_HOLE | KEEP_SIZE, 62 * K, 4096, null, K64 + 104, 136),
                row("z.mid", PATTERN64, ZERO_RANGE, 4 * K, 8 * K, Errno.EOPNOTSUPP, K64, -1),
                row("z.unal", PATTERN64, ZERO_RANGE, 1000, 5000, Errno.EOPNOTSUPP, K64, -1),
                row("z.unal.big", PATTERN64, ZERO_RANGE, 1000, 10000, Errno.EOPNOTSUPP, K64, -1),
                row("z.cross.eof", PATTERN64, ZERO_RANGE, 60 * K, 16 * K, Errno.EOPNOTSUPP, K64, -1),
                row("z.cross.eof.keep", PATTERN64, ZERO_RANGE | KEEP_SIZE, 60 * K, 16 * K, Errno.EOPNOTSUPP, K64, -1),
                row("z.beyond.eof", PATTERN64, ZERO_RANGE, 128 * K, 4096, Errno.EOPNOTSUPP, K64, -1),
                row("z.beyond.eof.unal", PATTERN64, ZERO_RANGE, K64, 100, Errno.EOPNOTSUPP, K64, -1),
                row("z.hole", HALFSPARSE, ZERO_RANGE, 8 * K, 8 * K, Errno.EOPNOTSUPP, K64, -1),
                row("a.extend", PATTERN64, 0, K64, K64, null, 128 * K, 256),
                row("a.keep.posteof", PATTERN64, KEEP_SIZE, K64, K64, null, K64, 256),
                row("a.unal.empty", (fx, p) -> fx.create(p), 0, 1000, 100, null, 1100, 8),
                row("a.inside", PATTERN64, 0, 4 * K, 8 * K, null, K64, 128),
                row("a.hole", HALFSPARSE, 0, 8 * K, 8 * K, null, K64, 80),
                row("a.shrink", PATTERN64, 0, 0, 4096, null, K64, 128));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void tmpfsColumn(String id, Setup setup, int mode, long off, long len, Errno errno, long size, long blocks) {
        TmpfsFixture fx = new TmpfsFixture();
        OpenFile f = setup.apply(fx, "/f");
        byte[] before = TmpfsFixture.readAll(f);
        long blocksBefore = f.fstat().blocks();
        if (errno != null) {
            assertEquals(errno, TmpfsFixture.errno(() -> f.fallocate(mode, off, len)));
            assertArrayEquals(before, TmpfsFixture.readAll(f));
            assertEquals(blocksBefore, f.fstat().blocks());
        } else {
            f.fallocate(mode, off, len);
            assertArrayEquals(expected(before, mode, off, len), TmpfsFixture.readAll(f));
        }
        assertEquals(size, f.fstat().size());
        if (blocks >= 0) {
            assertEquals(blocks, f.fstat().blocks(), "st_blocks");
        }
    }

    /** The independent content model: allocation keeps data and extends with zeros; punch zeroes inside EOF. */
    private static byte[] expected(byte[] before, int mode, long off, long len) {
        if ((mode & PUNCH_HOLE) != 0) {
            byte[] out = before.clone();
            long end = Math.min(off + len, out.length);
            if (off < end) {
                Arrays.fill(out, (int) off, (int) end, (byte) 0);
            }
            return out;
        }
        if ((mode & KEEP_SIZE) == 0 && off + len > before.length) {
            return Arrays.copyOf(before, (int) (off + len));
        }
        return before;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fdRows")
    void descriptorAndInodeRows(String id, Errno errno, long size) {
        TmpfsFixture fx = new TmpfsFixture();
        fx.pattern("/f", K64).close();
        Runnable op =
                switch (id) {
                    case "v.rdonly" ->
                        () -> fx.vfs.open("/f", OpenFlags.O_RDONLY, 0).fallocate(0, 0, 4096);
                    case "v.rdonly.bad" ->
                        () -> fx.vfs.open("/f", OpenFlags.O_RDONLY, 0).fallocate(PUNCH_HOLE, 0, 4096);
                    case "v.rdonly.len0" ->
                        () -> fx.vfs.open("/f", OpenFlags.O_RDONLY, 0).fallocate(0, 0, 0);
                    case "v.wronly" ->
                        () -> fx.vfs.open("/f", OpenFlags.O_WRONLY, 0).fallocate(COLLAPSE_RANGE, 4096, 4096);
                    case "v.oappend" ->
                        () -> fx.vfs
                                .open("/f", OpenFlags.O_WRONLY | OpenFlags.O_APPEND, 0)
                                .fallocate(COLLAPSE_RANGE, 4096, 4096);
                    case "v.appendonly.alloc" -> withFlag(fx, InodeFlags.APPEND, 0, K64, 4096);
                    case "v.appendonly.keep" -> withFlag(fx, InodeFlags.APPEND, KEEP_SIZE, K64, 4096);
                    case "v.appendonly.punch" -> withFlag(fx, InodeFlags.APPEND, PUNCH_HOLE | KEEP_SIZE, 0, 4096);
                    case "v.appendonly.collapse" -> withFlag(fx, InodeFlags.APPEND, COLLAPSE_RANGE, 4096, 4096);
                    case "v.immutable.keep" -> withFlag(fx, InodeFlags.IMMUTABLE, KEEP_SIZE, K64, 4096);
                    case "v.immutable.bad" -> withFlag(fx, InodeFlags.IMMUTABLE, 0x100, 0, 4096);
                    case "v.rlimit.extend" -> withRlimit(fx, 0, K64, 4096);
                    case "v.rlimit.keep" -> withRlimit(fx, KEEP_SIZE, K64, 4096);
                    case "v.rlimit.insert" -> withRlimit(fx, INSERT_RANGE, 4096, 4096);
                    default -> throw new IllegalArgumentException(id);
                };
        if (errno == null) {
            op.run();
        } else {
            assertEquals(errno, TmpfsFixture.errno(op));
        }
        assertEquals(size, fx.vfs.stat("/f").size());
    }

    private static Runnable withFlag(TmpfsFixture fx, int flag, int mode, long off, long len) {
        return () -> {
            OpenFile f = fx.vfs.open("/f", OpenFlags.O_WRONLY | OpenFlags.O_APPEND, 0);
            fx.vfs.setFlags("/f", flag); // set after open, as the measurement did
            f.fallocate(mode, off, len);
        };
    }

    private static Runnable withRlimit(TmpfsFixture fx, int mode, long off, long len) {
        return () -> {
            OpenFile f = fx.vfs.open("/f", OpenFlags.O_RDWR, 0);
            TestVfs.setRlimitFsize(fx.vfs, K64);
            f.fallocate(mode, off, len);
        };
    }

    static Stream<Arguments> fdRows() {
        return Stream.of(
                Arguments.of("v.rdonly", Errno.EBADF, K64),
                Arguments.of("v.rdonly.bad", Errno.EOPNOTSUPP, K64),
                Arguments.of("v.rdonly.len0", Errno.EINVAL, K64),
                Arguments.of("v.wronly", Errno.EOPNOTSUPP, K64),
                Arguments.of("v.oappend", Errno.EOPNOTSUPP, K64),
                Arguments.of("v.appendonly.alloc", null, 68 * K),
                Arguments.of("v.appendonly.keep", null, K64),
                Arguments.of("v.appendonly.punch", Errno.EPERM, K64),
                Arguments.of("v.appendonly.collapse", Errno.EPERM, K64),
                Arguments.of("v.immutable.keep", Errno.EPERM, K64),
                Arguments.of("v.immutable.bad", Errno.EOPNOTSUPP, K64),
                Arguments.of("v.rlimit.extend", Errno.EFBIG, K64),
                Arguments.of("v.rlimit.keep", Errno.EFBIG, K64),
                Arguments.of("v.rlimit.insert", Errno.EOPNOTSUPP, K64));
    }
}
