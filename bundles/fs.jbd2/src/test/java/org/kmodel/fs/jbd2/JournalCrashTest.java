package org.kmodel.fs.jbd2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.WriteLogEntry;
import org.kmodel.block.WriteRecorder;
import org.kmodel.block.testing.TestBlockDevices;

/**
 * Power cuts at every point of the write log (dm-log-writes style) of a run with revokes, escapes, log
 * wraps and lazy checkpoints: after recovery the home blocks are exactly the state after the last
 * transaction whose commit block reached the disk, also when writes not yet flushed are lost.
 */
class JournalCrashTest {
    static final int BS = JournalTest.BS;
    static final int HOME = 24;

    @Test
    void everyPrefixOfTheWriteLogRecoversToTheLastDurableCommit() {
        BlockDevice base = TestBlockDevices.memory("d", 2L << 20, 512);
        Journal.format(base, JournalTest.map(24), BS, JournalTest.UUID);
        WriteRecorder rec = TestBlockDevices.record(base);
        Journal j = Journal.load(rec, JournalTest.map(24), BS, JournalTest.UUID);
        j.recover();
        // states.get(k): the home blocks after k committed transactions
        List<Map<Long, byte[]>> states = new ArrayList<>();
        Map<Long, byte[]> state = new HashMap<>();
        states.add(new HashMap<>(state));
        List<Integer> commitEntries = new ArrayList<>();
        Random rnd = new Random(11);
        for (int t = 0; t < 40; t++) {
            Handle h = j.begin();
            int n = 1 + rnd.nextInt(5);
            for (int k = 0; k < n; k++) {
                long b = rnd.nextInt(HOME);
                byte[] img = JournalTest.image(t * 1000L + k);
                if (k == 0 && t % 7 == 0) {
                    JournalFormat.be32(img, 0, JournalFormat.MAGIC);
                }
                h.write(b, img);
                state.put(b, img);
            }
            if (rnd.nextInt(4) == 0) {
                long r = rnd.nextInt(HOME);
                h.revoke(r);
                // a revoked block's content no longer matters (it is free); forget it in the oracle
                state.remove(r);
            }
            j.commit(h, rnd.nextBoolean());
            commitEntries.add(rec.log().size());
            states.add(new HashMap<>(state));
        }
        j.checkpointAll();
        List<WriteLogEntry> log = rec.log();
        int checked = 0;
        for (int n = 0; n <= log.size(); n++) {
            int k = 0;
            while (k < commitEntries.size() && commitEntries.get(k) <= n) {
                k++;
            }
            for (long seed = -1; seed < 2; seed++) {
                BlockDevice crashed = seed < 0 ? rec.replay(n) : rec.replay(n, seed);
                Journal again = Journal.load(crashed, JournalTest.map(24), BS, JournalTest.UUID);
                again.recover();
                for (Map.Entry<Long, byte[]> e : states.get(k).entrySet()) {
                    assertArrayEquals(
                            e.getValue(),
                            JournalTest.home(crashed, e.getKey()),
                            "cut at " + n + " (seed " + seed + "), " + k + " commits durable, block " + e.getKey());
                }
                checked++;
            }
        }
        assertTrue(checked > 300, "crash points checked: " + checked);
    }
}
