package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.FileMapping;
import org.kmodel.vfs.Mmap;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;

/**
 * fsx's idea (xfstests ltp/fsx.c, docs/testing.md) applied to the page cache: random writes, mmap stores, truncates, collapses,
 * inserts, punches and zeroes, with writeback and cache drops at random points, against a plain byte-array model
 * that applies memmove for collapse and insert. read(2) and a MAP_SHARED mapping must both show the model after
 * every step, whatever was dirty or cached when the filesystem shifted its blocks.
 */
class PageCacheOracleTest {
    private static final int PS = 4096;
    private static final int MAX = 48 * PS;

    @Test
    void randomOperationsAgreeWithTheModel() {
        for (long seed = 1; seed <= 40; seed++) {
            run(seed, 200);
        }
    }

    private void run(long seed, int steps) {
        Fixture fx = new Fixture();
        OpenFile f = fx.vfs.open("/f", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
        FileMapping map = f.mmap(0, MAX + 16 * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
        byte[] model = new byte[0];
        Random r = new Random(seed);
        for (int step = 0; step < steps; step++) {
            String what;
            int op = r.nextInt(9);
            if (op == 0 || op == 1) {
                long off = r.nextInt(MAX);
                byte[] data = new byte[1 + r.nextInt(3 * PS)];
                r.nextBytes(data);
                f.pwrite(off, data, 0, data.length);
                model = write(model, off, data);
                what = "pwrite " + off + " " + data.length;
            } else if (op == 2 && model.length > 0) {
                // a store through the mapping, inside EOF (a store cannot extend the file)
                int visible = (int) Math.min(model.length, map.length());
                int off = r.nextInt(visible);
                byte[] data = new byte[1 + r.nextInt(Math.min(PS, visible - off))];
                r.nextBytes(data);
                map.write(off, data);
                System.arraycopy(data, 0, model, off, data.length);
                what = "mwrite " + off + " " + data.length;
            } else if (op == 3) {
                int len = r.nextInt(MAX);
                f.ftruncate(len);
                model = Arrays.copyOf(model, len);
                what = "truncate " + len;
            } else if (op == 4 || op == 5) {
                long off = (long) r.nextInt(16) * PS;
                long len = (long) (1 + r.nextInt(4)) * PS;
                boolean collapse = op == 4;
                int mode = collapse ? FallocateMode.COLLAPSE_RANGE : FallocateMode.INSERT_RANGE;
                boolean ok = collapse ? off + len < model.length : off < model.length && model.length + len <= MAX;
                if (ok) {
                    f.fallocate(mode, off, len);
                    model = collapse ? collapse(model, (int) off, (int) len) : insert(model, (int) off, (int) len);
                } else {
                    try {
                        f.fallocate(mode, off, len);
                        if (model.length + len > MAX) {
                            model = insert(model, (int) off, (int) len); // allowed by the fs, model follows
                        } else {
                            throw new AssertionError("seed " + seed + " step " + step + ": expected EINVAL");
                        }
                    } catch (KernelException e) {
                        // EINVAL at or past EOF: nothing changes
                    }
                }
                what = (collapse ? "collapse " : "insert ") + off + " " + len;
            } else if (op == 6) {
                long off = r.nextInt(MAX);
                long len = 1 + r.nextInt(3 * PS);
                boolean zero = r.nextBoolean();
                f.fallocate(
                        zero ? FallocateMode.ZERO_RANGE : FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE, off, len);
                int end = (int) Math.min(off + len, zero ? off + len : model.length);
                if (zero && end > model.length) {
                    model = Arrays.copyOf(model, end);
                }
                if (off < end) {
                    Arrays.fill(model, (int) off, end, (byte) 0);
                }
                what = (zero ? "zero " : "punch ") + off + " " + len;
            } else if (op == 7) {
                f.fsync();
                what = "fsync";
            } else {
                fx.vfs.dropCaches();
                what = "drop_caches";
            }
            check(f, map, model, "seed " + seed + " step " + step + " " + what);
        }
    }

    private static void check(OpenFile f, FileMapping map, byte[] model, String where) {
        assertEquals(model.length, f.fstat().size(), where + ": size");
        byte[] read = new byte[model.length];
        f.pread(0, read, 0, read.length);
        assertArrayEquals(model, read, where + ": read");
        int n = (int) Math.min(model.length, map.length());
        if (n > 0) {
            assertArrayEquals(Arrays.copyOf(model, n), map.read(0, n), where + ": mapping");
        }
    }

    private static byte[] write(byte[] m, long off, byte[] data) {
        byte[] out = m.length < off + data.length ? Arrays.copyOf(m, (int) off + data.length) : m;
        System.arraycopy(data, 0, out, (int) off, data.length);
        return out;
    }

    private static byte[] collapse(byte[] m, int off, int len) {
        byte[] out = new byte[m.length - len];
        System.arraycopy(m, 0, out, 0, off);
        System.arraycopy(m, off + len, out, off, m.length - off - len);
        return out;
    }

    private static byte[] insert(byte[] m, int off, int len) {
        byte[] out = new byte[m.length + len];
        System.arraycopy(m, 0, out, 0, off);
        System.arraycopy(m, off, out, off + len, m.length - off);
        return out;
    }
}
