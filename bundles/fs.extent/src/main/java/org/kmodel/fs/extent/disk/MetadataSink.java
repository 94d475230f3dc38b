package org.kmodel.fs.extent.disk;

import java.util.LinkedHashMap;
import java.util.Map;
import org.kmodel.block.BlockDevice;

/**
 * Where a commit's metadata blocks go: the shape of a jbd2 handle (jbd2_journal_get_write_access +
 * jbd2_journal_dirty_metadata per block, then jbd2_journal_commit_transaction). A transaction holds only the
 * blocks it changed. {@link InPlace} writes them to their home locations (no journal yet): ordered data
 * first, then the metadata, then a flush (filesystems without a journal); {@link JournalSink}: jbd2.
 */
interface MetadataSink {
    /** The new image of filesystem block {@code fsBlock} belongs to the running transaction. */
    void write(long fsBlock, byte[] image);

    /** Makes the transaction durable; with {@code flushDataFirst} the data written before it is flushed first. */
    void commit(boolean flushDataFirst);

    /** {@code fsBlock} no longer holds metadata: no logged copy of it may be replayed over its new content. */
    default void revoke(long fsBlock) {}

    /** Reads {@code fsBlock} as the filesystem must see it (the newest committed image). */
    void read(long fsBlock, byte[] into);

    /** Everything logged reaches its home location (umount). */
    default void checkpointAll() {}

    /** Writes in place at commit. */
    final class InPlace implements MetadataSink {
        private final BlockDevice dev;
        private final int bs;
        private final Map<Long, byte[]> tx = new LinkedHashMap<>();

        InPlace(BlockDevice dev, int bs) {
            this.dev = dev;
            this.bs = bs;
        }

        @Override
        public void write(long fsBlock, byte[] image) {
            tx.put(fsBlock, image.clone());
        }

        @Override
        public void read(long fsBlock, byte[] into) {
            dev.read(fsBlock * bs, into, 0, bs);
        }

        @Override
        public void commit(boolean flushDataFirst) {
            if (tx.isEmpty()) {
                return;
            }
            if (flushDataFirst) {
                dev.flush();
            }
            for (Map.Entry<Long, byte[]> e : tx.entrySet()) {
                dev.write(e.getKey() * bs, e.getValue(), 0, bs, false);
            }
            tx.clear();
            dev.flush();
        }
    }
}
