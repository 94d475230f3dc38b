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
import org.kmodel.block.internal.BlockDevices;
import org.kmodel.fs.FsckResult;
import org.kmodel.fs.xfs.internal.XfsFsType;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.internal.VfsCore;

/**
 * Issue 12: the kill -9 crash test. A child JVM ({@link CrashChild}) runs a mixed workload on ext4 (/) and xfs
 * (/data) images that were filled with poison (0xCD) before mkfs; the parent reads its operation log and kills it
 * with SIGKILL at a random point, then checks the images: fsck -n clean, both mount, every byte acknowledged by
 * an fsync (or sync) and not touched by a later operation is present, and no byte is anything but zero or what
 * that file was given at that offset (no poison, no other file's data). Repeats with the state it left.
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

    @Test
    void killNineAtRandomPointsLosesNoFsyncedByteAndExposesNoStaleOne(@TempDir Path state) throws Exception {
        int kills = Integer.getInteger("kmodel.crash.kills", 3);
        long seed = Long.getLong("kmodel.crash.seed", 20261203L);
        poison(state.resolve("root.img"), 64L << 20);
        poison(state.resolve("data.img"), 64L << 20);
        BlockDevices devs = new BlockDevices();
        new Ext4FsType(devs).mkfs(state.resolve("root.img"), 0, Map.of("force", "", "blocksize", "1024"));
        new XfsFsType(devs).mkfs(state.resolve("data.img"), 0, Map.of("force", ""));
        for (int i = 0; i < CrashChild.FILES; i++) {
            must[i] = new BitSet(SPAN);
            pending.add(new ArrayList<>());
        }
        Random rnd = new Random(seed);
        long ops = 0;
        for (int k = 0; k < kills; k++) {
            ops += runAndKill(state, rnd.nextLong(), 50 + rnd.nextInt(600));
            verify(state);
        }
        System.out.printf("kill -9 crash test: seed %d, %d kill points, %d operations, %d fsync'ed bytes checked, "
                + "%d lost, %d stale%n", seed, kills, ops, checkedBytes, lost, stale);
        assertEquals(0, lost, "fsync'ed bytes lost");
        assertEquals(0, stale, "stale bytes");
        assertTrue(checkedBytes > 0, "the workload acknowledged nothing: the test checked nothing");
    }

    private int runAndKill(Path state, long seed, int lines) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), state.toString(), Long.toString(seed)).redirectErrorStream(true).start();
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (n < lines && (line = r.readLine()) != null) {
                apply(line);
                n++;
            }
            // SIGKILL from outside (Process.destroyForcibly would also close our end of its output): no shutdown
            // hook, no umount, no commit
            new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).inheritIO().start().waitFor();
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
            default -> {
            }
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
        BlockDevices devs = new BlockDevices();
        FsckResult r1 = new Ext4FsType(devs).check(state.resolve("root.img"), false);
        FsckResult r2 = new XfsFsType(devs).check(state.resolve("data.img"), false);
        assertEquals(List.of(), r1.problems(), "ext4 image after kill -9");
        assertEquals(List.of(), r2.problems(), "xfs image after kill -9");
        VfsCore vfs = CrashChild.boot(state, devs);
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
            for (int o = 0; o < size; o++) {
                if (buf[o] == 0) {
                    continue;
                }
                if (buf[o] != CrashChild.expected(i, o)) {
                    stale++;
                } else {
                    must[i].set(o); // durable now: the verification ends with a clean umount
                }
            }
            pending.get(i).clear();
        }
        vfs.shutdown();
    }
}
