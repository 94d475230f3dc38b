package org.kmodel.fs.extent.disk;

import org.kmodel.fs.jbd2.Handle;
import org.kmodel.fs.jbd2.Journal;

/**
 * ext4's metadata through jbd2 in ordered mode (fs/ext4/ext4_jbd2.c): every block a commit changed is logged
 * in one transaction; data is flushed before the commit block; blocks reach home at checkpoint; a freed
 * metadata block is revoked so replay never writes its old image over what the block holds next.
 */
final class JournalSink implements MetadataSink {
    private final Journal journal;
    private Handle tx;

    JournalSink(Journal journal) {
        this.journal = journal;
        this.tx = journal.begin();
    }

    @Override
    public void write(long fsBlock, byte[] image) {
        tx.write(fsBlock, image);
    }

    @Override
    public void revoke(long fsBlock) {
        tx.revoke(fsBlock);
    }

    @Override
    public void read(long fsBlock, byte[] into) {
        byte[] mine = tx.image(fsBlock);
        if (mine != null) {
            System.arraycopy(mine, 0, into, 0, mine.length);
        } else {
            journal.read(fsBlock, into);
        }
    }

    /**
     * Data and log share the device, so the flush jbd2 issues before the commit block already puts the
     * ordered data ahead of the commit (journal_submit_commit_record with REQ_PREFLUSH): no extra flush.
     */
    @Override
    public void commit(boolean flushDataFirst) {
        Handle t = tx;
        tx = journal.begin();
        journal.commit(t, false);
    }

    @Override
    public void checkpointAll() {
        journal.checkpointAll();
    }

    /** Log blocks a transaction may use before the filesystem should commit (jbd2's j_max_transaction_buffers). */
    int maxTransactionBlocks() {
        return journal.capacity() / 4;
    }
}
