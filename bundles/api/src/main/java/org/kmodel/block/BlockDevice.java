package org.kmodel.block;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A block device (struct block_device / gendisk). I/O is positional and must be aligned to
 * {@link #logicalBlockSize()} in offset and length, as bio submission requires; a misaligned or
 * out-of-range request fails with EINVAL and transfers nothing. Writes may sit in a volatile cache until
 * {@link #flush()}; a write with {@code fua} is durable when it returns.
 */
@ProviderType
public interface BlockDevice extends AutoCloseable {
    /** The device name, such as {@code loop0} or the image file name. */
    String name();

    /** The logical block (sector) size in bytes: the I/O alignment unit (queue/logical_block_size). */
    int logicalBlockSize();

    /** The capacity in bytes (a multiple of the logical block size). */
    long size();

    /** Reads {@code len} bytes at {@code offset} into {@code buf[off..off+len)}. */
    void read(long offset, byte[] buf, int off, int len);

    /** Writes {@code len} bytes; {@code fua} (REQ_FUA) makes this one write durable before returning. */
    void write(long offset, byte[] buf, int off, int len, boolean fua);

    /** REQ_PREFLUSH: every write that completed before this call is durable when it returns. */
    void flush();

    /** True once {@link #close()} ran; every later I/O fails with ENXIO. */
    boolean isClosed();

    @Override
    void close();
}
