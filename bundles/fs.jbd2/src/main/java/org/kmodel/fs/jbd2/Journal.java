package org.kmodel.fs.jbd2;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kmodel.block.BlockDevice;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * A jbd2 journal (fs/jbd2/journal.c journal_t) inside a filesystem: the blocks of the journal inode, given
 * as a logical-to-physical map, hold the journal superblock (block 0) and a circular log from s_first to
 * s_maxlen - 1. Ordered mode as ext4 uses it by default: the filesystem writes file data in place, then
 * {@link #commit} logs the metadata blocks of a transaction, flushes (so data and log are durable), and
 * writes the commit block with FUA. Committed blocks reach their home location later, at checkpoint
 * (fs/jbd2/checkpoint.c): when the log needs room, and all of them at {@link #checkpointAll()} (umount).
 *
 * <p>Until a block is checkpointed its home location on the device is stale: read metadata through
 * {@link #read(long, byte[])}. Methods are synchronized; a filesystem normally calls them under its own lock.
 */
public final class Journal {
    /** The features ext4 sets on a metadata_csum, 64bit filesystem (set_journal_csum_feature_set). */
    public static final int DEFAULT_FEATURES = JournalFormat.INCOMPAT_CSUM_V3 | JournalFormat.INCOMPAT_64BIT;

    /** A committed transaction not yet checkpointed: its place in the log and the blocks it logged. */
    private record Committed(int tid, int start, int length, List<Long> blocks) {}

    /** The newest committed image of a block and the transaction that logged it (its checkpoint list). */
    private record Pending(byte[] image, int tid) {}

    private final BlockDevice device;
    private final long[] map;
    private final int blockSize;
    private final int wantedFeatures;
    private JournalSuperblock sb;
    private LogWriter writer;
    /** j_head: the next log block to write. */
    private int head;
    /** j_transaction_sequence: the id the next commit gets. */
    private int nextTid;

    private boolean needsRecovery;
    private final ArrayDeque<Committed> log = new ArrayDeque<>();
    private final Map<Long, Pending> checkpoint = new HashMap<>();
    private int logUsed;
    private long commits;
    private long checkpoints;

    private Journal(BlockDevice device, long[] map, int blockSize, JournalSuperblock sb, int wantedFeatures) {
        this.device = device;
        this.map = map.clone();
        this.blockSize = blockSize;
        this.sb = sb;
        this.wantedFeatures = wantedFeatures;
        this.writer = new LogWriter(blockSize, sb);
        this.needsRecovery = sb.start() != 0;
        this.head = sb.first();
        this.nextTid = sb.sequence();
    }

    /**
     * Writes a fresh, empty journal (mke2fs's ext2fs_create_journal_superblock plus the features ext4 sets
     * at its first mount, {@link #DEFAULT_FEATURES}): superblock v2, s_first 1, s_sequence 1, s_start 0,
     * s_uuid the filesystem's, one user. The log blocks are zeroed, as mke2fs does without lazy_journal_init.
     */
    public static void format(BlockDevice dev, long[] journalBlockMap, int fsBlockSize, byte[] fsUuid) {
        format(dev, journalBlockMap, fsBlockSize, fsUuid, DEFAULT_FEATURES, false);
    }

    /** {@link #format(BlockDevice, long[], int, byte[])} with explicit incompat features and lazy init. */
    public static void format(
            BlockDevice dev, long[] journalBlockMap, int fsBlockSize, byte[] fsUuid, int incompat, boolean lazyInit) {
        if (journalBlockMap.length < 2 + 8 || fsUuid.length != 16 || (incompat & ~JournalFormat.KNOWN_INCOMPAT) != 0) {
            throw new KernelException(Errno.EINVAL, "jbd2: journal of " + journalBlockMap.length + " blocks");
        }
        JournalSuperblock sb = JournalSuperblock.fresh(fsBlockSize, journalBlockMap.length, fsUuid, incompat);
        if (!lazyInit) {
            byte[] zero = new byte[fsBlockSize];
            for (int i = 1; i < journalBlockMap.length; i++) {
                dev.write(journalBlockMap[i] * fsBlockSize, zero, 0, fsBlockSize, false);
            }
        }
        dev.write(journalBlockMap[0] * fsBlockSize, sb.encode(fsBlockSize), 0, fsBlockSize, false);
        dev.flush();
    }

    /**
     * Opens the journal (jbd2_journal_load's superblock checks). Nothing is replayed yet: call
     * {@link #recover()} before the first transaction. EINVAL: not a jbd2 journal, wrong block size, unknown
     * incompat features (the kernel refuses those too); EUCLEAN: superblock checksum mismatch.
     */
    public static Journal load(BlockDevice dev, long[] journalBlockMap, int fsBlockSize, byte[] fsUuid) {
        return load(dev, journalBlockMap, fsBlockSize, fsUuid, DEFAULT_FEATURES);
    }

    /** {@link #load(BlockDevice, long[], int, byte[])} setting {@code incompat} features at the first commit. */
    public static Journal load(BlockDevice dev, long[] journalBlockMap, int fsBlockSize, byte[] fsUuid, int incompat) {
        if (journalBlockMap.length < 2) {
            throw new KernelException(Errno.EINVAL, "jbd2: journal inode has no blocks");
        }
        byte[] b = new byte[fsBlockSize];
        dev.read(journalBlockMap[0] * fsBlockSize, b, 0, fsBlockSize);
        JournalSuperblock sb = JournalSuperblock.decode(b, fsBlockSize, journalBlockMap.length);
        return new Journal(dev, journalBlockMap, fsBlockSize, sb, incompat);
    }

    /**
     * Replays the committed transactions from s_start (fs/jbd2/recovery.c), then marks the journal empty
     * (s_start 0) as e2fsck does after a replay. Returns whether any transaction was replayed. EUCLEAN when
     * a logged block failed its checksum (the kernel's -EFSBADCRC): the other blocks are replayed first.
     */
    public synchronized boolean recover() {
        if (!needsRecovery) {
            // jbd2_journal_recover with s_start 0: nothing to do; the next id follows s_sequence
            nextTid = sb.sequence() + 1;
            return false;
        }
        Recovery r = new Recovery(sb, this::readLog);
        Recovery.Result res = r.replay(r.scan(), (blk, image) -> writeHome(blk, image));
        device.flush();
        // ++info.end_transaction: the id of a transaction that may be half in the log is never reused
        nextTid = res.endTid() + 1;
        head = sb.first();
        needsRecovery = false;
        markEmpty();
        lastRecovery = res;
        if (res.badChecksums() > 0) {
            throw new KernelException(
                    Errno.EUCLEAN, "jbd2: " + res.badChecksums() + " blocks with an invalid checksum not recovered");
        }
        return res.replayed();
    }

    private Recovery.Result lastRecovery;

    /** Transactions, blocks replayed and revoked blocks skipped by the last {@link #recover()} (for tests). */
    synchronized int[] lastRecoveryCounts() {
        Recovery.Result r = lastRecovery;
        return r == null ? new int[3] : new int[] {r.transactions().size(), r.replayedBlocks(), r.revokedSkipped()};
    }

    /** A new, empty transaction. */
    public synchronized Handle begin() {
        if (needsRecovery) {
            throw new KernelException(Errno.EUCLEAN, "jbd2: journal needs recovery");
        }
        return new Handle(blockSize);
    }

    /**
     * Commits {@code tx} (jbd2_journal_commit_transaction) and returns its transaction id, or -1 for an
     * empty transaction (nothing is written). With {@code flushDataFirst} the device is flushed before the
     * first log block, so the data the caller wrote is durable before any of the transaction is (jbd2's
     * separate flush of the filesystem device); without it the one flush before the commit block still
     * orders data written before this call ahead of the commit, which is all ordered mode needs when data
     * and journal share the device. ENOSPC (nothing written) when the transaction is larger than the log.
     */
    public synchronized int commit(Handle tx, boolean flushDataFirst) {
        if (needsRecovery) {
            throw new KernelException(Errno.EUCLEAN, "jbd2: journal needs recovery");
        }
        tx.close();
        if (tx.isEmpty()) {
            return -1;
        }
        int needed = writer.blocksNeeded(tx.blocks().size(), tx.revoked().size());
        if (needed > capacity()) {
            throw new KernelException(Errno.ENOSPC, "jbd2: transaction of " + needed + " blocks, log of " + capacity());
        }
        makeRoom(needed);
        if (flushDataFirst) {
            device.flush();
        }
        int tid = nextTid;
        prepareSuperblock(tx);
        List<byte[]> body = writer.body(tid, tx.blocks(), tx.revoked());
        int start = head;
        for (byte[] b : body) {
            writeLog(head, b, false);
            head = advance(head);
        }
        // without async_commit the commit record goes out with REQ_PREFLUSH | REQ_FUA
        // (journal_submit_commit_record): the log blocks and the ordered data are durable before it
        device.flush();
        writeLog(head, writer.commitBlock(tid, System.currentTimeMillis() * 1_000_000L), true);
        head = advance(head);
        nextTid++;
        commits++;
        recordCheckpoint(tid, start, needed, tx);
        return tid;
    }

    /**
     * Before the first commit after the journal was emptied (JBD2_FLUSHED in jbd2_journal_commit_transaction)
     * the superblock must point recovery at this transaction; features the filesystem wants (csum v3, 64bit,
     * revoke at the first revoke record as jbd2_journal_revoke sets it) are switched on at the same write.
     */
    private void prepareSuperblock(Handle tx) {
        int features = sb.incompat() | wantedFeatures | (tx.revoked().isEmpty() ? 0 : JournalFormat.INCOMPAT_REVOKE);
        boolean change = features != sb.incompat();
        if (sb.start() != 0 && !change) {
            return;
        }
        int layout = JournalFormat.INCOMPAT_64BIT | JournalFormat.INCOMPAT_CSUM_V2 | JournalFormat.INCOMPAT_CSUM_V3;
        if (sb.start() != 0 && ((features ^ sb.incompat()) & layout) != 0) {
            // the log still holds transactions whose tags have the old layout: checkpoint them first
            checkpointAll();
        }
        sb.setIncompat(features);
        writer = new LogWriter(blockSize, sb);
        if (sb.start() == 0) {
            sb.tail(nextTid, head);
        }
        writeSuperblock();
    }

    private void recordCheckpoint(int tid, int start, int length, Handle tx) {
        List<Long> blocks = new ArrayList<>(tx.blocks().keySet());
        for (Map.Entry<Long, byte[]> e : tx.blocks().entrySet()) {
            checkpoint.put(e.getKey(), new Pending(e.getValue(), tid));
        }
        // jbd2_journal_revoke -> jbd2_journal_forget: a revoked block leaves every checkpoint list, so
        // an older image is never written over a block that may now hold something else
        for (long r : tx.revoked()) {
            checkpoint.remove(r);
        }
        log.addLast(new Committed(tid, start, length, blocks));
        logUsed += length;
    }

    /** __jbd2_log_wait_for_space: checkpoint the oldest transactions until {@code needed} blocks are free. */
    private void makeRoom(int needed) {
        if (capacity() - logUsed >= needed) {
            return;
        }
        // free a quarter of the log beyond the need, so that checkpoints come in batches
        int target = Math.min(capacity(), needed + capacity() / 4);
        while (!log.isEmpty() && capacity() - logUsed < target) {
            checkpointOne(log.removeFirst());
        }
        device.flush();
        updateTail();
    }

    private void checkpointOne(Committed c) {
        for (long blk : c.blocks()) {
            Pending p = checkpoint.get(blk);
            // a block logged again later belongs to the newer transaction's checkpoint list
            if (p != null && p.tid() == c.tid()) {
                writeHome(blk, p.image());
                checkpoint.remove(blk);
            }
        }
        logUsed -= c.length();
        checkpoints++;
    }

    /**
     * jbd2_cleanup_journal_tail / jbd2_journal_update_sb_log_tail: after the checkpointed blocks are durable
     * (flushed by the caller), s_start and s_sequence move to the oldest transaction still in the log.
     */
    private void updateTail() {
        if (log.isEmpty()) {
            sb.tail(nextTid, head);
        } else {
            sb.tail(log.peekFirst().tid(), log.peekFirst().start());
        }
        writeSuperblock();
    }

    /**
     * Writes every committed block home and marks the journal empty (jbd2_journal_flush, then
     * jbd2_mark_journal_empty at umount): s_start 0, s_sequence the next transaction id.
     */
    public synchronized void checkpointAll() {
        if (needsRecovery) {
            throw new KernelException(Errno.EUCLEAN, "jbd2: journal needs recovery");
        }
        while (!log.isEmpty()) {
            checkpointOne(log.removeFirst());
        }
        device.flush();
        markEmpty();
    }

    private void markEmpty() {
        sb.tail(nextTid, 0);
        writeSuperblock();
    }

    private void writeSuperblock() {
        device.write(map[0] * blockSize, sb.encode(blockSize), 0, blockSize, true);
    }

    /**
     * Reads {@code fsBlock} as the filesystem must see it: the newest committed image while it waits for
     * its checkpoint, else the device.
     */
    public synchronized void read(long fsBlock, byte[] into) {
        Pending p = checkpoint.get(fsBlock);
        if (p != null) {
            System.arraycopy(p.image(), 0, into, 0, blockSize);
        } else {
            device.read(fsBlock * blockSize, into, 0, blockSize);
        }
    }

    /** Blocks committed but not yet written home. */
    public synchronized int pendingCheckpoint() {
        return checkpoint.size();
    }

    /** The id the next commit will get (j_transaction_sequence). */
    public synchronized int nextTransactionId() {
        return nextTid;
    }

    /** True while the superblock says the log holds transactions that {@link #recover()} has not replayed. */
    public synchronized boolean needsRecovery() {
        return needsRecovery;
    }

    /** Log blocks usable by transactions (s_maxlen - s_first). */
    public int capacity() {
        return sb.maxLen() - sb.first();
    }

    /** Log blocks held by committed, not yet checkpointed transactions. */
    public synchronized int logUsed() {
        return logUsed;
    }

    /** Commits and checkpointed transactions so far (for tests and reports). */
    public synchronized long[] counters() {
        return new long[] {commits, checkpoints};
    }

    private int advance(int block) {
        return block + 1 >= sb.maxLen() ? sb.first() : block + 1;
    }

    private byte[] readLog(int logBlock) {
        byte[] b = new byte[blockSize];
        device.read(map[logBlock] * blockSize, b, 0, blockSize);
        return b;
    }

    private void writeLog(int logBlock, byte[] b, boolean fua) {
        device.write(map[logBlock] * blockSize, b, 0, blockSize, fua);
    }

    private void writeHome(long fsBlock, byte[] image) {
        device.write(fsBlock * blockSize, image, 0, blockSize, false);
    }
}
