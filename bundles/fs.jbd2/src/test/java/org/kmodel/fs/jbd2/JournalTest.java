package org.kmodel.fs.jbd2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/** The journal on a RAM disk: format, commit, checkpoint, revoke, escaping, wrap, and replay after a cut. */
class JournalTest {
    static final int BS = 1024;
    static final byte[] UUID = new byte[16];

    static {
        new Random(7).nextBytes(UUID);
    }

    /** Journal at fs blocks 1000.. (contiguous), home blocks below 1000. */
    static long[] map(int len) {
        long[] m = new long[len];
        for (int i = 0; i < len; i++) {
            m[i] = 1000 + i;
        }
        return m;
    }

    static BlockDevice disk() {
        return TestBlockDevices.memory("d", 4L << 20, 512);
    }

    static byte[] image(long seed) {
        byte[] b = new byte[BS];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] home(BlockDevice d, long blk) {
        byte[] b = new byte[BS];
        d.read(blk * BS, b, 0, BS);
        return b;
    }

    /** One transaction that logs {@code image(b)} for each block b, committed without waiting for the flush. */
    static void commit(Journal j, long... blocks) {
        Handle h = j.begin();
        for (long b : blocks) {
            h.write(b, image(b));
        }
        j.commit(h, false);
    }

    /** The journal as the next mount loads it (nothing recovered yet). */
    static Journal remount(BlockDevice d, int len) {
        return Journal.load(d, map(len), BS, UUID);
    }

    static Journal fresh(BlockDevice d, int len) {
        Journal.format(d, map(len), BS, UUID);
        Journal j = remount(d, len);
        assertFalse(j.recover());
        return j;
    }

    @Test
    void committedBlocksStayInTheLogUntilCheckpointAndAreReadThroughTheJournal() {
        BlockDevice d = disk();
        Journal j = fresh(d, 64);
        Handle h = j.begin();
        h.write(5, image(5));
        h.write(6, image(6));
        assertTrue(j.commit(h, true) > 0);
        assertArrayEquals(new byte[BS], home(d, 5), "home location written before checkpoint");
        byte[] seen = new byte[BS];
        j.read(5, seen);
        assertArrayEquals(image(5), seen);
        j.checkpointAll();
        assertArrayEquals(image(5), home(d, 5));
        assertArrayEquals(image(6), home(d, 6));
        assertEquals(0, j.pendingCheckpoint());
        assertFalse(remount(d, 64).needsRecovery(), "umount leaves s_start 0");
    }

    @Test
    void aCrashAfterCommitIsReplayedAtTheNextMount() {
        BlockDevice d = disk();
        Journal j = fresh(d, 64);
        commit(j, 5);
        Journal again = remount(d, 64);
        assertTrue(again.needsRecovery());
        assertTrue(again.recover());
        assertArrayEquals(image(5), home(d, 5));
        assertFalse(remount(d, 64).recover(), "recovery marks the journal empty");
    }

    @Test
    void aBlockThatStartsWithTheMagicIsEscapedAndRestored() {
        BlockDevice d = disk();
        Journal j = fresh(d, 64);
        byte[] evil = image(9);
        JournalFormat.be32(evil, 0, JournalFormat.MAGIC);
        JournalFormat.be32(evil, 4, JournalFormat.COMMIT_BLOCK);
        Handle h = j.begin();
        h.write(7, evil);
        h.write(8, image(8));
        j.commit(h, false);
        Journal again = remount(d, 64);
        assertTrue(again.recover());
        assertArrayEquals(evil, home(d, 7));
        assertArrayEquals(image(8), home(d, 8));
    }

    @Test
    void revokedBlocksAreNotReplayedFromOlderTransactionsButNewerOnesAre() {
        BlockDevice d = disk();
        Journal j = fresh(d, 64);
        commit(j, 10, 11);
        Handle t2 = j.begin();
        t2.revoke(10);
        t2.revoke(11);
        j.commit(t2, false);
        Handle t3 = j.begin();
        t3.write(11, image(111));
        j.commit(t3, false);
        Journal again = remount(d, 64);
        assertTrue(again.recover());
        assertArrayEquals(new byte[BS], home(d, 10), "revoked in a later transaction: not replayed");
        assertArrayEquals(image(111), home(d, 11), "logged after the revoke: replayed");
        assertEquals(2, again.lastRecoveryCounts()[2], "both t1 blocks skipped");
    }

    @Test
    void aRevokeDropsTheBlockFromTheCheckpointSoItsOldImageIsNeverWrittenHome() {
        BlockDevice d = disk();
        Journal j = fresh(d, 64);
        commit(j, 12);
        Handle t2 = j.begin();
        t2.revoke(12);
        j.commit(t2, false);
        byte[] data = image(1200);
        d.write(12L * BS, data, 0, BS, false); // the freed block now holds file data
        j.checkpointAll();
        assertArrayEquals(data, home(d, 12));
    }

    @Test
    void manyTagsSpanSeveralDescriptorBlocks() {
        BlockDevice d = disk();
        Journal j = fresh(d, 512);
        Handle h = j.begin();
        for (int b = 0; b < 200; b++) {
            h.write(b, image(b));
        }
        j.commit(h, true);
        Journal again = remount(d, 512);
        assertTrue(again.recover());
        for (int b = 0; b < 200; b++) {
            assertArrayEquals(image(b), home(d, b), "block " + b);
        }
        assertEquals(200, again.lastRecoveryCounts()[1]);
    }

    @Test
    void aTransactionLargerThanTheLogFailsWithEnospcAndWritesNothing() {
        BlockDevice d = disk();
        Journal j = fresh(d, 16);
        Handle h = j.begin();
        for (int b = 0; b < 20; b++) {
            h.write(b, image(b));
        }
        KernelException e = assertThrows(KernelException.class, () -> j.commit(h, false));
        assertEquals(Errno.ENOSPC, e.errno());
        assertFalse(remount(d, 16).needsRecovery());
    }

    @Test
    void aCorruptCommitBlockEndsTheLogBeforeThatTransaction() {
        BlockDevice d = disk();
        Journal j = fresh(d, 64);
        commit(j, 20);
        commit(j, 21);
        // t1: descriptor at log block 1, data 2, commit 3; t2: descriptor 4, data 5, commit 6
        byte[] commit = home(d, 1006);
        assertEquals(JournalFormat.COMMIT_BLOCK, JournalFormat.be32(commit, 4));
        commit[0x30] ^= 1;
        d.write(1006L * BS, commit, 0, BS, false);
        Journal again = remount(d, 64);
        assertTrue(again.recover());
        assertArrayEquals(image(20), home(d, 20));
        assertArrayEquals(new byte[BS], home(d, 21));
    }

    @Test
    void unknownIncompatFeaturesAndForeignBlocksAreRefused() {
        BlockDevice d = disk();
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> remount(d, 64)).errno());
        Journal.format(d, map(64), BS, UUID, JournalFormat.INCOMPAT_64BIT, true);
        byte[] sb = home(d, 1000);
        JournalFormat.be32(sb, 0x28, 0x80); // a feature this model does not know
        d.write(1000L * BS, sb, 0, BS, false);
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> remount(d, 64)).errno());
        Journal.format(d, map(64), BS, UUID);
        sb = home(d, 1000);
        sb[0x20] ^= 1; // s_errno flipped: the v3 superblock checksum no longer matches
        d.write(1000L * BS, sb, 0, BS, false);
        assertEquals(
                Errno.EUCLEAN,
                assertThrows(KernelException.class, () -> remount(d, 64)).errno());
    }

    @Test
    void theLogWrapsAndLazyCheckpointsKeepEveryCommittedBlockVisible() {
        BlockDevice d = disk();
        Journal j = fresh(d, 32);
        Map<Long, byte[]> expect = new HashMap<>();
        Random rnd = new Random(3);
        for (int t = 0; t < 60; t++) {
            Handle h = j.begin();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                long b = rnd.nextInt(30);
                byte[] img = image(t * 100 + k);
                h.write(b, img);
                expect.put(b, img);
            }
            if (rnd.nextInt(5) == 0) {
                long r = rnd.nextInt(30);
                h.revoke(r);
                expect.remove(r);
            }
            j.commit(h, false);
        }
        assertTrue(j.counters()[1] > 0, "the log wrapped and checkpointed");
        // the filesystem's view through the journal
        for (Map.Entry<Long, byte[]> e : expect.entrySet()) {
            byte[] b = new byte[BS];
            j.read(e.getKey(), b);
            assertArrayEquals(e.getValue(), b);
        }
        // a crash now: the rest comes from the log
        Journal again = remount(d, 32);
        again.recover();
        for (Map.Entry<Long, byte[]> e : expect.entrySet()) {
            assertTrue(Arrays.equals(e.getValue(), home(d, e.getKey())), "block " + e.getKey());
        }
    }
}
