package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.Inode;

/**
 * Issue 13: a small file's fsync on ext4 is one jbd2 commit of the blocks it changed (its inode-table block and
 * the superblock, with a descriptor and a commit block), whatever else the filesystem holds. Counted on the
 * device, not timed: an empty filesystem and one where another file has 20,000 extents (an extent tree of about
 * 60 leaves) do the same I/O at every small commit, over enough commits that the log wraps several times. The
 * only difference allowed is that the first checkpoint after the big file's commit writes the blocks that commit
 * logged home, once (fs/jbd2/checkpoint.c: a block is written home once per transaction that logged it).
 */
class Ext4FsyncCostTest {
    private static final int COMMITS = 3_000;

    /** What reaches the device: writes, bytes, flushes (REQ_PREFLUSH) and FUA writes. */
    static final class Counting implements BlockDevice {
        private final BlockDevice lower;
        long writes;
        long bytes;
        long flushes;
        long fua;

        Counting(BlockDevice lower) {
            this.lower = lower;
        }

        long[] snapshot() {
            return new long[] {writes, bytes, flushes, fua};
        }

        @Override
        public String name() {
            return lower.name();
        }

        @Override
        public int logicalBlockSize() {
            return lower.logicalBlockSize();
        }

        @Override
        public long size() {
            return lower.size();
        }

        @Override
        public void read(long offset, byte[] buf, int off, int len) {
            lower.read(offset, buf, off, len);
        }

        @Override
        public void write(long offset, byte[] buf, int off, int len, boolean fua) {
            lower.write(offset, buf, off, len, fua);
            writes++;
            bytes += len;
            this.fua += fua ? 1 : 0;
        }

        @Override
        public void flush() {
            lower.flush();
            flushes++;
        }

        @Override
        public boolean isClosed() {
            return lower.isClosed();
        }

        @Override
        public void close() {
            lower.close();
        }
    }

    /** I/O of a filesystem's small-file commits after another file got {@code extents} extents. */
    record Cost(long[] one, long[] total, long bigCommitWrites) {}

    @Test
    void aSmallFsyncCostsTheSameWhateverElseTheFilesystemHolds() {
        Cost empty = smallFsyncs(0);
        Cost busy = smallFsyncs(20_000);
        String[] what = {"writes", "bytes", "flushes", "FUA writes"};
        for (int k = 0; k < 4; k++) {
            assertEquals(
                    empty.one()[k],
                    busy.one()[k],
                    what[k] + " of one small-file commit: empty fs vs " + "20,000 extents elsewhere");
        }
        assertEquals(5, empty.one()[0], "the data block, then descriptor, inode-table block, superblock, commit");
        // over 3,000 commits the log wraps; the busy filesystem's first checkpoint writes the big file's logged
        // blocks home once (fewer: some were logged again, or are the superblock, which is checkpointed anyway)
        long extra = busy.total()[0] - empty.total()[0];
        assertTrue(
                extra > busy.bigCommitWrites() / 2 && extra <= busy.bigCommitWrites() + 2,
                "extra writes over " + COMMITS + " commits: " + extra + ", the big file's commit wrote "
                        + busy.bigCommitWrites());
        assertTrue(
                Math.abs(busy.total()[2] - empty.total()[2]) <= 1,
                "flushes: checkpoint batches, not a flush per " + "unrelated block: " + empty.total()[2] + " vs "
                        + busy.total()[2]);
        assertEquals(empty.total()[3], busy.total()[3], "FUA writes (commit blocks and journal superblocks)");
    }

    private static Cost smallFsyncs(int extents) {
        Counting dev = new Counting(TestBlockDevices.memory("ram", 256L << 20, 512));
        DiskSuperBlock.mkfs(dev, FsProfile.ext4(4096, 4096));
        DiskSuperBlock sb = DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, "");
        Inode big = sb.root().create("big", 0100644, 0);
        for (int e = 0; e < extents; e++) {
            // 4 KiB every 8 KiB: one unwritten extent each, as FsyncBenchmark's 200,000
            FallocateRequest r =
                    new FallocateRequest(0, 2L * e * 4096, 4096, big.getattr().size(), Long.MAX_VALUE);
            big.fallocateCheck(r);
            big.fallocate(r);
        }
        long bigBefore = dev.writes;
        big.fsync();
        long bigWrites = dev.writes - bigBefore;
        Inode small = sb.root().create("small", 0100644, 0);
        byte[] page = new byte[4096];
        DifferentialFsxTest.RealState.write(small, 0, page);
        small.fsync();
        long[] start = dev.snapshot();
        long[] one = null;
        for (int i = 0; i < COMMITS; i++) {
            long[] before = dev.snapshot();
            page[0]++;
            DifferentialFsxTest.RealState.write(small, 0, page);
            small.fsync();
            if (i == 10) {
                one = diff(dev.snapshot(), before); // a commit in the steady state (after the first overwrites)
            }
        }
        long[] total = diff(dev.snapshot(), start);
        sb.kill();
        return new Cost(one, total, bigWrites);
    }

    private static long[] diff(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int k = 0; k < a.length; k++) {
            d[k] = a[k] - b[k];
        }
        return d;
    }
}
