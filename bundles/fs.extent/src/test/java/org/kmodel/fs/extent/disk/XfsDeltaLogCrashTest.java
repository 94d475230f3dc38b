package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.WriteRecorder;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.Inode;

/**
 * The xfs delta log (DeltaLogStore) under power cuts: a poisoned device, a secret file written and deleted,
 * then a random workload of creates, writes, renames, unlinks, symlinks, directories, collapse, insert,
 * punch and truncate, each step committed, long enough that the log fills its area and a new full
 * checkpoint is written. Every prefix of the write log (and, for each, two random losses of the writes not
 * yet flushed) must mount to exactly the tree of the last commit whose record reached the disk: same names,
 * types, sizes, link targets and bytes, so no stale byte of the poison or the secret is ever visible.
 */
class XfsDeltaLogCrashTest {
    private static final byte POISON = (byte) 0xCD;

    /** A device whose 64-block checkpoint areas (the minimum) fill after a few dozen commits. */
    private static BlockDevice poisoned(int bs) {
        long size = (bs >= 4096 ? 1024L : 2048L) * bs;
        BlockDevice dev = TestBlockDevices.memory("poison", size, 512);
        byte[] p = new byte[1 << 16];
        Arrays.fill(p, POISON);
        for (long o = 0; o < size; o += p.length) {
            dev.write(o, p, 0, p.length, false);
        }
        return dev;
    }

    private static void write(Inode f, long from, int len, byte v) {
        for (long page = from / 4096; page * 4096 < from + len; page++) {
            byte[] b = new byte[4096];
            f.readPage(page, b);
            for (long o = Math.max(from, page * 4096); o < Math.min(from + len, (page + 1) * 4096); o++) {
                b[(int) (o - page * 4096)] = v;
            }
            long size = Math.max(f.getattr().size(), Math.min(from + len, (page + 1) * 4096));
            // the VFS's order: i_size moves with the write, writeback comes after (the on-disk size follows it)
            f.extendSize(size);
            f.writePage(page, b, (int) Math.min(4096, size - page * 4096));
        }
    }

    private static void fa(Inode f, int mode, long off, long len) {
        FallocateRequest r = new FallocateRequest(mode, off, len, f.getattr().size(), Long.MAX_VALUE);
        f.fallocateCheck(r);
        f.fallocate(r);
    }

    /** A committed state: the tree's metadata and every file's bytes. */
    record State(String tree, java.util.Map<String, byte[]> content) {}

    static State state(Inode root, int[] poison) {
        java.util.Map<String, byte[]> content = new java.util.TreeMap<>();
        return new State(describe(root, "", poison, content), content);
    }

    /** The whole tree: names, types, sizes, link targets; file bytes into {@code content}; poison counted. */
    static String describe(Inode dir, String path, int[] poison, java.util.Map<String, byte[]> content) {
        StringBuilder out = new StringBuilder();
        for (DirEntry e : dir.readdir()) {
            Inode c = dir.lookup(e.name());
            String p = path + "/" + e.name();
            var a = c.getattr();
            out.append(p)
                    .append(' ')
                    .append(Integer.toOctalString(a.mode()))
                    .append(' ')
                    .append(a.size());
            switch (a.mode() & 0170000) {
                case 0040000 -> out.append('\n').append(describe(c, p, poison, content));
                case 0120000 -> out.append(" -> ").append(c.readlink()).append('\n');
                default -> {
                    byte[] bytes = new byte[(int) a.size()];
                    byte[] page = new byte[4096];
                    for (long pg = 0; pg * 4096 < a.size(); pg++) {
                        c.readPage(pg, page);
                        int n = (int) Math.min(4096, a.size() - pg * 4096);
                        System.arraycopy(page, 0, bytes, (int) (pg * 4096), n);
                        for (int k = 0; k < n; k++) {
                            if (page[k] == POISON) {
                                poison[0]++;
                            }
                        }
                    }
                    content.put(p, bytes);
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    @ParameterizedTest(name = "xfs {0}-byte blocks")
    @ValueSource(ints = {4096, 1024})
    void everyPrefixOfTheWriteLogMountsToTheLastDurableCommit(int bs) {
        BlockDevice base = poisoned(bs);
        DiskSuperBlock.mkfs(base, FsProfile.xfs(bs));
        WriteRecorder rec = TestBlockDevices.record(base);
        DiskSuperBlock sb = DiskSuperBlock.mount(rec, "xfs", KernelRelease.V6_18, 0, "");
        Inode root = sb.root();
        Inode secret = root.create("secret", 0100600, 0);
        write(secret, 0, 64 << 10, (byte) 0x5E);
        sb.commit();
        root.unlink("secret");
        secret.evict();
        List<State> states = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        int[] none = new int[1];
        states.add(state(root, none));
        sb.commit();
        ends.add(rec.log().size());
        SplittableRandom rnd = new SplittableRandom(bs);
        List<String> files = new ArrayList<>();
        Inode dir = root.create("d", 0040755, 0);
        int steps = 80;
        List<String> ops = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            Inode parent = rnd.nextBoolean() ? root : dir;
            int op = files.isEmpty() ? 0 : rnd.nextInt(9);
            String name = files.isEmpty() ? null : files.get(rnd.nextInt(files.size()));
            Inode f = name == null ? null : lookup(root, name);
            ops.add(step + ":" + op + ":" + name);
            switch (op) {
                case 0 -> {
                    String n = "f" + step;
                    Inode c = parent.create(n, 0100644, 0);
                    write(c, rnd.nextInt(3) * 4096L, 1 + rnd.nextInt(3 * 4096), (byte) step);
                    files.add((parent == root ? "" : "d/") + n);
                }
                case 1 -> write(f, rnd.nextInt(8) * 1000L, 1 + rnd.nextInt(9000), (byte) step);
                case 2 -> {
                    long size = f.getattr().size();
                    if (size > 2L * bs) {
                        fa(f, 0x08, bs, bs); // collapse one block
                    }
                }
                case 3 -> {
                    if (f.getattr().size() > bs) {
                        fa(f, 0x20, 0, bs); // insert one block
                    }
                }
                case 4 -> fa(f, 0x03, 0, bs); // punch
                case 5 -> f.setattr(AttrChange.size(rnd.nextInt(10000), 0));
                case 6 -> {
                    String[] parts = name.split("/");
                    Inode from = parts.length == 2 ? dir : root;
                    String to = "r" + step;
                    from.rename(parts[parts.length - 1], root, to);
                    files.remove(name);
                    files.add(to);
                }
                case 7 -> {
                    String[] parts = name.split("/");
                    Inode from = parts.length == 2 ? dir : root;
                    from.unlink(parts[parts.length - 1]);
                    f.evict();
                    files.remove(name);
                }
                default -> parent.symlink("l" + step, "target-" + step + "-" + "x".repeat(rnd.nextInt(200)));
            }
            sb.commit();
            states.add(state(root, none));
            ends.add(rec.log().size());
        }
        assertEquals(0, none[0], "poison in the live filesystem");
        long[] counters = ((DeltaLogStore) sb.store()).counters();
        assertTrue(
                counters[1] >= 1,
                "the log filled its area and a full checkpoint followed: " + Arrays.toString(counters));
        int n = rec.log().size();
        int checked = 0;
        for (int cut = ends.get(0); cut <= n; cut++) {
            int k = 0;
            while (k + 1 < ends.size() && ends.get(k + 1) <= cut) {
                k++;
            }
            for (long seed = 0; seed < 2; seed++) {
                BlockDevice crashed = seed == 0 ? rec.replay(cut) : rec.replay(cut, cut * 31 + bs);
                DiskSuperBlock after = DiskSuperBlock.mount(crashed, "xfs", KernelRelease.V6_18, 0, "");
                int[] poison = new int[1];
                State got = state(after.root(), poison);
                String where = "cut at " + cut + " (seed " + seed + "), commit " + k + " durable";
                assertEquals(states.get(k).tree(), got.tree(), where + ": metadata");
                assertEquals(0, poison[0], where + ": poison bytes");
                // data is written in place (ordered mode, not data journalling): an overwrite by the step in
                // progress may show, so each byte is the committed one or the one the next step wrote there
                State next = states.get(Math.min(k + 1, states.size() - 1));
                for (var e : got.content().entrySet()) {
                    byte[] old = states.get(k).content().get(e.getKey());
                    byte[] neu = next.content().get(e.getKey());
                    byte[] b = e.getValue();
                    for (int o = 0; o < b.length; o++) {
                        boolean ok = b[o] == old[o]
                                || neu != null && o < neu.length && b[o] == neu[o]
                                // a truncate zeroes the EOF block's tail in place before its size commits
                                // (xfs_setattr_size writes the zeroed range back first): zeros, never stale
                                || b[o] == 0 && (neu == null || o >= neu.length);
                        if (!ok) {
                            int o2 = o;
                            assertTrue(
                                    ok,
                                    where + ": " + e.getKey() + " byte " + o + " got " + b[o] + " old " + old[o]
                                            + " new " + (neu != null && o2 < neu.length ? neu[o2] : "none") + " ops "
                                            + ops);
                        }
                    }
                }
                checked++;
            }
        }
        System.out.printf(
                "xfs %d: %d write-log entries, %d commits (%d log records, %d checkpoints), %d crashed "
                        + "images mounted, all at their last durable commit, 0 stale bytes%n",
                bs, n, ends.size(), counters[0], counters[1], checked);
        assertFalse(states.get(states.size() - 1).tree().isEmpty());
    }

    private static Inode lookup(Inode root, String path) {
        Inode at = root;
        for (String p : path.split("/")) {
            at = at.lookup(p);
        }
        return at;
    }

    @Test
    void aSmallFsyncWritesTheSameWhateverElseTheFilesystemHolds() {
        long[] empty = smallFsyncBytes(0);
        long[] busy = smallFsyncBytes(20_000);
        assertEquals(empty[0], busy[0], "bytes a small-file commit writes: empty fs vs 20,000 extents elsewhere");
        assertTrue(busy[0] <= 2 * 4096, "one record of one block (+ header): " + busy[0]);
    }

    /** Bytes written by the commit of a one-block file after a file of {@code extents} extents exists. */
    private static long[] smallFsyncBytes(int extents) {
        BlockDevice dev = TestBlockDevices.memory("ram", 1L << 30, 512);
        DiskSuperBlock.mkfs(dev, FsProfile.xfs(4096));
        DiskSuperBlock sb = DiskSuperBlock.mount(dev, "xfs", KernelRelease.V6_18, 0, "");
        Inode big = sb.root().create("big", 0100644, 0);
        for (int e = 0; e < extents; e++) {
            fa(big, 0x01, 2L * e * 4096, 4096); // every other block: one extent each
        }
        sb.commit();
        Inode small = sb.root().create("small", 0100644, 0);
        write(small, 0, 4096, (byte) 1);
        DeltaLogStore store = (DeltaLogStore) sb.store();
        long before = store.counters()[2];
        small.fsync();
        return new long[] {store.counters()[2] - before};
    }
}
