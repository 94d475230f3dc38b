package org.kmodel.fs.ext4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.FsckResult;
import org.kmodel.fs.xfs.testing.TestXfs;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 12: the kill -9 crash test. A child JVM ({@link CrashChild}) runs a mixed workload on ext4 (/) and xfs
 * (/data) images that were filled with poison (0xCD) before mkfs; the parent reads its operation log and kills it
 * with SIGKILL at a random point, then checks the images: fsck -n clean, both mount, every byte acknowledged by
 * an fsync (or sync) and not touched by a later operation is present, no byte is anything but zero or what
 * that file was given at that offset (no poison, no other file's data), and no byte inside the file reads as
 * zero unless it was zero at some moment since it was last durable (a hole, a punched range, a truncated tail
 * or the gap a write past EOF left): a file whose new data never reached the disk comes back shorter, never
 * with its new size and NUL bytes. Repeats with the state it left.
 * CI: 3 kill points; {@code -Dkmodel.crash.kills=N} for a long run (docs/data-safety.md).
 */
class Issue12KillNineCrashTest {
    private static final int SPAN = CrashChild.SPAN + (64 << 10);

    private static void poison(Path img, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            byte[] p = new byte[1 << 20];
            java.util.Arrays.fill(p, (byte) 0xCD);
            for (long o = 0; o < size; o += p.length) {
                f.write(p);
            }
        }
    }

    /** Bytes that must read as written (set at the acknowledging fsync, cleared by any later punch/truncate). */
    private final BitSet[] must = new BitSet[CrashChild.FILES];

    private final List<List<String>> pending = new ArrayList<>();
    private long checkedBytes;
    private long lost;
    private long stale;
    /** Bytes inside a file after the crash that read as zero though they held data ever since they were durable. */
    private long nul;

    private long zeroChecked;

    // The workload's view of each file, to tell a legitimate zero from a lost write: its size, the bytes that hold
    // data, the bytes written since the file's last fsync, and the bytes that may read as zero after a crash
    // (zero at some moment since they were last durable).
    private final long[] size = new long[CrashChild.FILES];
    private final BitSet[] data = new BitSet[CrashChild.FILES];
    private final BitSet[] unsynced = new BitSet[CrashChild.FILES];
    private final BitSet[] zeroOk = new BitSet[CrashChild.FILES];
    /** The file and byte range of the last operation started, which an "E" line says may have stopped half-way. */
    private int lastFile = -1;

    private long lastLo;
    private long lastHi;

    @Test
    void killNineAtRandomPointsLosesNoFsyncedByteAndExposesNoStaleOne(@TempDir Path state) throws Exception {
        int kills = Integer.getInteger("kmodel.crash.kills", 3);
        long seed = Long.getLong("kmodel.crash.seed", 20261203L);
        poison(state.resolve("root.img"), 64L << 20);
        poison(state.resolve("data.img"), 64L << 20);
        BlockDeviceFactory devs = TestBlockDevices.factory();
        new Ext4FsType(devs).mkfs(state.resolve("root.img"), 0, Map.of("force", "", "blocksize", "1024"));
        TestXfs.mkfs(devs).mkfs(state.resolve("data.img"), 0, Map.of("force", ""));
        for (int i = 0; i < CrashChild.FILES; i++) {
            must[i] = new BitSet(SPAN);
            data[i] = new BitSet(SPAN);
            unsynced[i] = new BitSet(SPAN);
            zeroOk[i] = new BitSet(SPAN);
            pending.add(new ArrayList<>());
        }
        Random rnd = new Random(seed);
        long ops = 0;
        for (int k = 0; k < kills; k++) {
            ops += runAndKill(state, rnd.nextLong(), 50 + rnd.nextInt(600));
            verify(state);
        }
        System.out.printf(
                "kill -9 crash test: seed %d, %d kill points, %d operations, %d fsync'ed bytes checked, "
                        + "%d lost, %d stale, %d zero bytes checked, %d NUL where data was%n",
                seed, kills, ops, checkedBytes, lost, stale, zeroChecked, nul);
        assertEquals(0, lost, "fsync'ed bytes lost");
        assertEquals(0, stale, "stale bytes");
        assertEquals(
                0,
                nul,
                "bytes inside a file that read as NUL though it never held zeros there since they were durable");
        assertTrue(checkedBytes > 0, "the workload acknowledged nothing: the test checked nothing");
    }

    private int runAndKill(Path state, long seed, int lines) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashChild.class.getName(),
                        state.toString(),
                        Long.toString(seed))
                .redirectErrorStream(true)
                .start();
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (n < lines && (line = r.readLine()) != null) {
                apply(line);
                n++;
            }
            // SIGKILL from outside (Process.destroyForcibly would also close our end of its output): no shutdown
            // hook, no umount, no commit
            new ProcessBuilder("kill", "-KILL", Long.toString(p.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            // lines already written before the kill but not yet read: operations the child started; their
            // intents must still clear bits (a punch that reached the disk), acknowledgements count too
            while ((line = r.readLine()) != null) {
                apply(line);
            }
        }
        assertTrue(n > 1, "the child did not run: " + n + " lines");
        return n;
    }

    private void apply(String line) {
        String[] w = line.split(" ");
        track(w);
        switch (w[0]) {
            case "W", "P", "T" -> {
                int i = Integer.parseInt(w[1]);
                pending.get(i).add(line);
                if (w[0].equals("P")) {
                    long off = Long.parseLong(w[2]);
                    must[i].clear((int) Math.min(off, SPAN), (int) Math.min(off + Long.parseLong(w[3]), SPAN));
                } else if (w[0].equals("T")) {
                    must[i].clear((int) Long.parseLong(w[2]), SPAN);
                }
            }
            case "S" -> {
                for (int i = 0; i < CrashChild.FILES; i++) {
                    if (w[1].equals("*") || Integer.parseInt(w[1]) == i) {
                        acknowledge(i);
                    }
                }
            }
            default -> {}
        }
    }

    /** Follows the workload's view of the file an operation line names (see {@link #zeroOk}). */
    private void track(String[] w) {
        switch (w[0]) {
            case "W" -> {
                int i = Integer.parseInt(w[1]);
                long off = Long.parseLong(w[2]);
                long end = off + Long.parseLong(w[3]);
                if (off > size[i]) {
                    zeroOk[i].set((int) size[i], (int) off); // the gap a write past EOF leaves reads as zeros
                }
                lastFile = i;
                lastLo = Math.min(size[i], off);
                lastHi = end;
                data[i].set((int) off, (int) end);
                unsynced[i].set((int) off, (int) end);
                size[i] = Math.max(size[i], end);
            }
            case "P" -> {
                int i = Integer.parseInt(w[1]);
                long off = Math.min(Long.parseLong(w[2]), SPAN);
                long end = Math.min(off + Long.parseLong(w[3]), SPAN);
                zeroOk[i].set((int) Math.min(off, size[i]), (int) Math.min(end, size[i]));
                data[i].clear((int) off, (int) end);
                // a punch writes back the pages of its range first (ext4_punch_hole, xfs_flush_unmap_range): the
                // on-disk size may then reach the end of them while pages below still wait for writeback, as in the
                // kernel (mpage_map_and_submit_extent, xfs_setfilesize): those unsynced bytes may read as zeros
                long pageEnd = (end + 4095) / 4096 * 4096;
                BitSet below = unsynced[i].get(0, (int) Math.min(pageEnd, SPAN));
                zeroOk[i].or(below);
                lastFile = i;
                lastLo = off;
                lastHi = end;
            }
            case "T" -> {
                int i = Integer.parseInt(w[1]);
                long n = Long.parseLong(w[2]);
                if (n > size[i]) {
                    zeroOk[i].set((int) size[i], (int) n);
                } else {
                    // the tail of the new EOF block is zeroed on disk before the new size is committed
                    // (xfs_setattr_size writes it out first; ext4's zeroed tail is ordered data writeback may send
                    // early): a crash in between leaves the old size with zeros from n to the end of that block
                    zeroOk[i].set((int) n, (int) Math.min(size[i], (n + 4095) / 4096 * 4096));
                }
                data[i].clear((int) n, SPAN);
                lastFile = i;
                lastLo = Math.min(n, size[i]);
                lastHi = Math.max(n, size[i]);
                size[i] = n;
            }
            case "K" -> lastFile = -1;
            case "E" -> {
                // the operation just started failed and may have done part of its work (a short write)
                if (lastFile >= 0) {
                    zeroOk[lastFile].set((int) lastLo, (int) Math.min(lastHi, SPAN));
                    data[lastFile].clear((int) lastLo, (int) Math.min(lastHi, SPAN));
                }
            }
            case "S" -> {
                for (int i = 0; i < CrashChild.FILES; i++) {
                    if (w[1].equals("*") || Integer.parseInt(w[1]) == i) {
                        // durable as it is now: inside the file, exactly the bytes without data may read as zero
                        zeroOk[i].clear();
                        zeroOk[i].set(0, (int) size[i]);
                        zeroOk[i].andNot(data[i]);
                        unsynced[i].clear();
                    }
                }
            }
            default -> {}
        }
    }

    /** An fsync returned: the writes since the last one (in order with punches and truncates) are durable. */
    private void acknowledge(int i) {
        for (String op : pending.get(i)) {
            String[] w = op.split(" ");
            long off = Long.parseLong(w[2]);
            switch (w[0]) {
                case "W" -> must[i].set((int) off, (int) (off + Long.parseLong(w[3])));
                case "P" -> must[i].clear((int) Math.min(off, SPAN), (int) Math.min(off + Long.parseLong(w[3]), SPAN));
                default -> must[i].clear((int) off, SPAN);
            }
        }
        pending.get(i).clear();
    }

    private void verify(Path state) {
        BlockDeviceFactory devs = TestBlockDevices.factory();
        FsckResult r1 = new Ext4FsType(devs).check(state.resolve("root.img"), false);
        FsckResult r2 = TestXfs.fsck(devs).check(state.resolve("data.img"), false);
        assertEquals(List.of(), r1.problems(), "ext4 image after kill -9");
        assertEquals(List.of(), r2.problems(), "xfs image after kill -9");
        Vfs vfs = CrashChild.boot(state, devs);
        byte[] buf = new byte[SPAN];
        for (int i = 0; i < CrashChild.FILES; i++) {
            int size;
            java.util.Arrays.fill(buf, (byte) 0);
            try (OpenFile f = vfs.open(CrashChild.path(i), OpenFlags.O_RDONLY, 0)) {
                size = (int) Math.min(SPAN, f.fstat().size());
                f.pread(0, buf, 0, size);
            } catch (KernelException e) {
                size = 0; // never created before the kill
            }
            for (int o = must[i].nextSetBit(0); o >= 0; o = must[i].nextSetBit(o + 1)) {
                checkedBytes++;
                if (o >= size || buf[o] != CrashChild.expected(i, o)) {
                    lost++;
                }
            }
            must[i].clear();
            BitSet allowed = (BitSet) zeroOk[i].clone();
            zeroOk[i].clear();
            data[i].clear();
            unsynced[i].clear();
            this.size[i] = size;
            for (int o = 0; o < size; o++) {
                if (buf[o] == 0) {
                    zeroChecked++;
                    if (!allowed.get(o)) {
                        nul++;
                    }
                    zeroOk[i].set(o); // the next round starts from what is on the image now
                    continue;
                }
                data[i].set(o);
                if (buf[o] != CrashChild.expected(i, o)) {
                    stale++;
                } else {
                    must[i].set(o); // durable now: the verification ends with a clean umount
                }
            }
            pending.get(i).clear();
        }
        TestVfs.shutdown(vfs);
    }
}
