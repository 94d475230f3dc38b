package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.Inode;

/**
 * fsx against the real kernel (docs/testing.md, xfstests ltp/fsx.c's idea, own code): one seeded random stream of
 * write, truncate and every fallocate mode, with aligned and unaligned ranges, applied to a file on the real
 * filesystem and to the model; after every step the result code, size, full content and the cold
 * SEEK_DATA/SEEK_HOLE map must agree, and st_blocks stay within the kernel's. Short by default;
 * {@code -Dkmodel.fsx.ops=100000} for a long run
 * ({@code -Dkmodel.fsx.fs=xfs-4k} for one filesystem; {@code -Dkmodel.fsx.seed=N} to replay). With
 * {@code -Dkmodel.fsx.check=N > 1} the host's page cache stays warm between full checks, and the kernel's
 * allocation state then depends on it (found with seed -761799198 on xfs 1k: zeroing the partial EOF block
 * on truncate converts an unwritten block whose folio is cached into a written one; cold, it stays
 * unwritten); the model is driven at the SPI level, below any page cache, so only check=1 (fsync + drop the
 * file's pages after every op) is a like-for-like comparison of SEEK maps.
 */
class DifferentialFsxTest {
    private static final int MAX_FILE = 256 << 10;
    private static final int MAX_LEN = 64 << 10;
    private static final String[] MODES = {"0", "KEEP", "PUNCH|KEEP", "ZERO", "ZERO|KEEP", "COLLAPSE", "INSERT"};
    private static HostScratch host;

    @BeforeAll
    static void setUp() throws Exception {
        try {
            HostLibc.C.getpagesize();
        } catch (Throwable t) {
            Assumptions.abort("no libc via JNA: " + t);
        }
        host = new HostScratch();
    }

    @AfterAll
    static void tearDown() {
        if (host != null) {
            host.cleanup();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4-4k", "ext4-1k", "ext4-bigalloc64k", "xfs-4k", "xfs-1k"})
    void modelAgreesWithKernel(String fs) throws Exception {
        String only = System.getProperty("kmodel.fsx.fs");
        Assumptions.assumeTrue(only == null || only.equals(fs), () -> "only " + only + " requested");
        Path dir = host.dirFor(fs);
        Assumptions.assumeTrue(dir != null, () -> "skipped " + fs + ": " + host.why);
        int ops = Integer.getInteger("kmodel.fsx.ops", 3000); // CI: a few thousand per geometry (issue 7)
        long seed = Long.getLong("kmodel.fsx.seed", fs.hashCode());
        FsProfile p = ModelProbe.profile(fs);
        DiskSuperBlock sb = ModelProbe.mkfsAndMount(p, 256L << 20);
        Inode model = sb.root().create("fsx", 0100644, 0);
        String path = dir.resolve("fsx").toString();
        int fd = HostLibc.C.open(path, HostLibc.O_RDWR | HostLibc.O_CREAT | HostLibc.O_TRUNC, 0644);
        Assumptions.assumeTrue(fd >= 0, "cannot create " + path);
        SplittableRandom rnd = new SplittableRandom(seed);
        Deque<String> log = new ArrayDeque<>();
        int exact = 0;
        int checks = 0;
        int check = Integer.getInteger("kmodel.fsx.check", 1);
        try {
            for (int n = 1; n <= ops; n++) {
                String op = step(rnd, fd, model, p, n);
                log.addLast(n + ": " + op);
                if (log.size() > 25) {
                    log.removeFirst();
                }
                if (n % check != 0 && n != ops) {
                    // Between full checks: size and content only (the page cache makes them exact without fsync).
                    String r = "size=" + RealState.size(fd) + " md5=" + RealState.md5(RealState.content(fd));
                    String m = "size=" + model.getattr().size() + " md5="
                            + RealState.md5(ModelProbe.content(model));
                    assertEquals(r, m, () -> fs + " seed " + seed + " after op " + String.join("\n", log));
                    continue;
                }
                String[] real = RealState.describe(fd);
                String mine = "size=" + model.getattr().size() + " seek=" + ModelProbe.seek(model) + " md5="
                        + RealState.md5(ModelProbe.content(model));
                long realBlocks = Long.parseLong(real[1]);
                long myBlocks = model.getattr().blocks();
                // data blocks only: the kernel maps written pages at writeback (delalloc), the model at once,
                // so the model can hold more extents than the kernel at the same moment, and with them
                // extent-tree blocks the kernel has not needed yet
                long myData = myBlocks - sb.store().mapOverhead512(sb.inode(model.ino()));
                assertEquals(real[0], mine, () -> fs + " seed " + seed + " after op " + String.join("\n", log));
                // The kernel's st_blocks also counts xfs speculative post-EOF preallocation of an open file,
                // which is not modelled, so the model's data blocks must never exceed it. Exact st_blocks
                // (extent-tree blocks included) is asserted by KernelMatrixTest.
                if (myData > realBlocks) {
                    throw new AssertionError(fs + " seed " + seed + ": st_blocks model " + myData + " > kernel "
                            + realBlocks + " after op " + String.join("\n", log));
                }
                checks++;
                exact += myBlocks == realBlocks ? 1 : 0;
            }
        } finally {
            HostLibc.C.close(fd);
        }
        System.out.printf("fsx %s: %d ops, seed %d, all agree (content every op, SEEK map at %d checks);"
                + " st_blocks exact at %d checks%n", fs, ops, seed, checks, exact);
    }

    /** Draws one operation, applies it to both, and checks the result codes agree. */
    private static String step(SplittableRandom rnd, int fd, Inode model, FsProfile p, int n) {
        long size = model.getattr().size();
        int kind = size > 4 * MAX_FILE ? 1 : rnd.nextInt(4);
        if (kind == 0) {
            long off = rnd.nextLong(MAX_FILE);
            int len = 1 + rnd.nextInt(MAX_LEN);
            byte[] data = new byte[len];
            rnd.nextBytes(data);
            data[0] = (byte) (n | 1); // never an all-zero block by chance at the start
            long r = HostLibc.C.pwrite(fd, data, len, off);
            assertEquals(len, r, "host pwrite");
            RealState.write(model, off, data);
            return "write " + off + " " + len;
        }
        if (kind == 1) {
            long to = rnd.nextLong(MAX_FILE + 1);
            assertEquals(0, HostLibc.C.ftruncate(fd, to), "host ftruncate");
            model.setattr(AttrChange.size(to, 0));
            return "truncate " + to;
        }
        String mode = MODES[rnd.nextInt(MODES.length)];
        long unit = mode.equals("COLLAPSE") || mode.equals("INSERT") ? p.shiftAlignment() : p.blockSize();
        long off = rnd.nextLong(Math.max(1, Math.min(size + MAX_LEN, 2L * MAX_FILE)));
        long len = 1 + rnd.nextInt(MAX_LEN);
        if (rnd.nextInt(4) != 0) {
            off = off / unit * unit;
            len = Math.max(unit, len / unit * unit);
        }
        int m = ModelProbe.mode(mode);
        String real = HostLibc.C.fallocate(fd, m, off, len) == 0 ? "OK"
                : org.kmodel.kernel.Errno.of(com.sun.jna.Native.getLastError()).name();
        String mine = ModelProbe.run(model, mode, off, len, Long.MAX_VALUE);
        String what = "fallocate " + mode + " " + off + " " + len + " -> " + real;
        assertEquals(real, mine, what);
        return what;
    }

    /** Host-side state in the same notation as the model's. */
    static final class RealState {
        static long size(int fd) {
            byte[] st = new byte[144];
            HostLibc.C.fstat(fd, st);
            return java.nio.ByteBuffer.wrap(st).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(48);
        }

        static byte[] content(int fd) {
            long size = size(fd);
            byte[] all = new byte[(int) size];
            long got = 0;
            while (got < size) {
                byte[] chunk = new byte[(int) Math.min(1 << 20, size - got)];
                long r = HostLibc.C.pread(fd, chunk, chunk.length, got);
                if (r <= 0) {
                    break;
                }
                System.arraycopy(chunk, 0, all, (int) got, (int) r);
                got += r;
            }
            return all;
        }

        /** {content description, st_blocks}. */
        static String[] describe(int fd) {
            HostLibc.C.fsync(fd);
            HostLibc.C.posix_fadvise(fd, 0, 0, HostLibc.POSIX_FADV_DONTNEED); // cold cache for SEEK (docs/vfs.md)
            byte[] st = new byte[144];
            HostLibc.C.fstat(fd, st);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(st).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long size = b.getLong(48);
            long blocks = b.getLong(64);
            StringBuilder seek = new StringBuilder();
            long pos = 0;
            while (true) {
                long d = HostLibc.C.lseek(fd, pos, HostLibc.SEEK_DATA);
                if (d < 0) {
                    break;
                }
                long h = HostLibc.C.lseek(fd, d, HostLibc.SEEK_HOLE);
                seek.append(seek.length() == 0 ? "" : " ").append('D').append(d).append('-').append(h);
                if (h >= size) {
                    break;
                }
                pos = h;
            }
            byte[] all = new byte[(int) size];
            long got = 0;
            while (got < size) {
                byte[] chunk = new byte[(int) Math.min(1 << 20, size - got)];
                long r = HostLibc.C.pread(fd, chunk, chunk.length, got);
                if (r <= 0) {
                    break;
                }
                System.arraycopy(chunk, 0, all, (int) got, (int) r);
                got += r;
            }
            return new String[] {"size=" + size + " seek=" + seek + " md5=" + md5(all), String.valueOf(blocks)};
        }

        static String md5(byte[] b) {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A write(2) through the model's page interface, as the VFS page cache would issue it. */
        static void write(Inode f, long off, byte[] data) {
            int page = ModelProbe.PAGE;
            long end = off + data.length;
            long newSize = Math.max(f.getattr().size(), end);
            for (long pg = off / page; pg * page < end; pg++) {
                byte[] buf = new byte[page];
                f.readPage(pg, buf);
                long s = Math.max(off, pg * page);
                long t = Math.min(end, (pg + 1) * page);
                System.arraycopy(data, (int) (s - off), buf, (int) (s - pg * page), (int) (t - s));
                try {
                    f.writeBegin(pg);
                    f.writePage(pg, buf, (int) Math.min(page, newSize - pg * page));
                } catch (KernelException e) {
                    throw new AssertionError("model write failed: " + e.getMessage(), e);
                }
            }
            f.extendSize(newSize);
        }
    }
}
