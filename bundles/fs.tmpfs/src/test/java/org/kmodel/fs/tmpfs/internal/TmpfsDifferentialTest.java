package org.kmodel.fs.tmpfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.OpenFile;

/**
 * fsx-style differential test (docs/testing.md#differential-runs-against-the-real-kernel): the same random operation sequence against the real kernel's
 * tmpfs (/dev/shm, through libc via JNA) and against kmodel's tmpfs; errno, size and full content must agree
 * after every operation. Skips where /dev/shm is not a tmpfs or libc cannot be loaded.
 */
class TmpfsDifferentialTest {
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int[] MODES = {0, 0x01, 0x03, 0x02, 0x08, 0x10, 0x11, 0x20, 0x40, 0x04, 0x09, 0x100};

    /** The few libc calls the oracle needs. */
    public interface LibC extends Library {
        int open(String path, int flags, int mode);

        int close(int fd);

        long pwrite(int fd, byte[] buf, long count, long offset);

        long pread(int fd, byte[] buf, long count, long offset);

        int ftruncate(int fd, long length);

        int fallocate(int fd, int mode, long offset, long len);

        long lseek(int fd, long offset, int whence);
    }

    @Test
    void randomSequencesAgreeWithDevShm() throws Exception {
        Assumptions.assumeTrue(
                Files.readString(Path.of("/proc/mounts")).contains(" /dev/shm tmpfs "),
                "no tmpfs on /dev/shm: differential test skipped");
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            Assumptions.abort("libc not loadable through JNA: " + e.getMessage());
            return;
        }
        for (long seed = 1; seed <= 20; seed++) {
            runSequence(libc, seed, 150);
        }
    }

    private void runSequence(LibC libc, long seed, int steps) {
        String real = "/dev/shm/kmodel-fsx-" + ProcessHandle.current().pid() + "-" + seed;
        int fd = libc.open(real, O_RDWR | O_CREAT | O_TRUNC, 0644);
        Assumptions.assumeTrue(fd >= 0, "cannot create " + real);
        TmpfsFixture fx = new TmpfsFixture();
        OpenFile f = fx.create("/f");
        Random rnd = new Random(seed);
        try {
            for (int step = 0; step < steps; step++) {
                String op = step(libc, fd, f, rnd);
                String where = "seed " + seed + " step " + step + " " + op;
                long size = libc.lseek(fd, 0, 2);
                assertEquals(size, f.fstat().size(), where + ": size");
                byte[] expected = new byte[(int) size];
                libc.pread(fd, expected, size, 0);
                byte[] actual = new byte[(int) size];
                f.pread(0, actual, 0, actual.length);
                assertArrayEquals(expected, actual, where + ": content");
            }
        } finally {
            libc.close(fd);
            new java.io.File(real).delete();
        }
    }

    /** One random operation on both; asserts equal errno; returns a description. */
    private String step(LibC libc, int fd, OpenFile f, Random rnd) {
        long off = rnd.nextInt(4) == 0 ? rnd.nextInt(64) * 4096L : rnd.nextInt(256 * 1024);
        int len = rnd.nextInt(4) == 0 ? (1 + rnd.nextInt(8)) * 4096 : 1 + rnd.nextInt(20000);
        switch (rnd.nextInt(4)) {
            case 0 -> {
                byte[] data = new byte[len];
                rnd.nextBytes(data);
                long r = libc.pwrite(fd, data, len, off);
                int n = f.pwrite(off, data, 0, len);
                assertEquals(r, n, "pwrite");
                return "pwrite " + off + " " + len;
            }
            case 1 -> {
                long to = rnd.nextInt(300 * 1024);
                assertEquals(libc.ftruncate(fd, to) == 0 ? 0 : Native.getLastError(), errnoOf(() -> f.ftruncate(to)));
                return "ftruncate " + to;
            }
            default -> {
                int mode = MODES[rnd.nextInt(MODES.length)];
                int r = libc.fallocate(fd, mode, off, len) == 0 ? 0 : Native.getLastError();
                assertEquals(
                        r,
                        errnoOf(() -> f.fallocate(mode, off, len)),
                        "fallocate mode 0x" + Integer.toHexString(mode) + " " + off + " " + len);
                return "fallocate 0x" + Integer.toHexString(mode) + " " + off + " " + len;
            }
        }
    }

    private static int errnoOf(Runnable r) {
        try {
            r.run();
            return 0;
        } catch (KernelException e) {
            return e.errno().number();
        }
    }
}
