package org.kmodel.block;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A device that passes I/O to another one and logs every write (with its data), FUA and flush, like
 * dm-log-writes (Documentation/admin-guide/device-mapper/log-writes.rst). The log starts from a snapshot of
 * the device taken when recording began, so any prefix of it can be replayed onto a fresh device: the
 * disk a power failure at that point could have left behind.
 */
@ProviderType
public interface WriteRecorder extends BlockDevice {
    /** The entries so far, oldest first. */
    List<WriteLogEntry> log();

    /** Appends a named mark (replay-log --end-mark) and returns its index in the log. */
    int mark(String name);

    /** A new memory device holding the start snapshot plus the writes of the first {@code entries} entries. */
    BlockDevice replay(int entries);

    /**
     * Like {@link #replay(int)}, but the writes issued after the last flush before the cut-off were still in
     * the volatile cache: each of them is kept or lost by a pseudo-random choice from {@code seed}
     * (CrashMonkey's reordering of un-flushed writes). FUA writes are never lost.
     */
    BlockDevice replay(int entries, long seed);
}
