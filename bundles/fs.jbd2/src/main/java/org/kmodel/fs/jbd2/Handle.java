package org.kmodel.fs.jbd2;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * One transaction being built (a running transaction_t with its handle_t, include/linux/jbd2.h): the
 * metadata blocks it changed, each as the full block image it must have after the commit, and the blocks
 * it revoked (freed metadata that must not be replayed from older transactions).
 *
 * <p>The image is copied when it is handed in, as jbd2 freezes a buffer's data for the commit
 * (b_frozen_data): later changes by the caller go into the next transaction. Writing a block again
 * replaces its image. Revoking a block that this transaction logged drops it from the transaction
 * (jbd2_journal_forget); logging a block this transaction revoked cancels the revoke
 * (jbd2_journal_cancel_revoke). Not thread-safe: a filesystem builds a transaction under its own lock.
 */
public final class Handle {
    private final int blockSize;
    private final LinkedHashMap<Long, byte[]> blocks = new LinkedHashMap<>();
    private final LinkedHashSet<Long> revoked = new LinkedHashSet<>();
    private boolean done;

    Handle(int blockSize) {
        this.blockSize = blockSize;
    }

    /** Logs {@code blockImage} (exactly one filesystem block) as the new content of {@code fsBlock}. */
    public void write(long fsBlock, byte[] blockImage) {
        open();
        if (fsBlock < 0 || blockImage.length != blockSize) {
            throw new KernelException(
                    Errno.EINVAL,
                    "jbd2: block " + fsBlock + " image of " + blockImage.length + " bytes, block size " + blockSize);
        }
        revoked.remove(fsBlock);
        blocks.put(fsBlock, blockImage.clone());
    }

    /** Records that {@code fsBlock} no longer holds metadata: no older copy of it may be replayed. */
    public void revoke(long fsBlock) {
        open();
        if (fsBlock < 0) {
            throw new KernelException(Errno.EINVAL, "jbd2: revoke of block " + fsBlock);
        }
        blocks.remove(fsBlock);
        revoked.add(fsBlock);
    }

    /** True when the transaction has neither logged nor revoked a block. */
    public boolean isEmpty() {
        return blocks.isEmpty() && revoked.isEmpty();
    }

    /** Blocks logged so far. */
    public int blockCount() {
        return blocks.size();
    }

    /** The image this transaction holds for {@code fsBlock}, or null (a copy). */
    public byte[] image(long fsBlock) {
        byte[] b = blocks.get(fsBlock);
        return b == null ? null : b.clone();
    }

    Map<Long, byte[]> blocks() {
        return Collections.unmodifiableMap(blocks);
    }

    Set<Long> revoked() {
        return Collections.unmodifiableSet(revoked);
    }

    void close() {
        done = true;
    }

    private void open() {
        if (done) {
            throw new KernelException(Errno.EINVAL, "jbd2: transaction already committed");
        }
    }
}
