package org.kmodel.block.internal;

import org.kmodel.block.BlockDevice;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The checks every bio passes in block/blk-core.c (submit_bio_noacct, bio_check_eod): the device must be
 * open, the request aligned to the logical block size and inside the device. Subclasses do the transfer.
 */
abstract class AbstractBlockDevice implements BlockDevice {
    private final String name;
    private final int logicalBlockSize;
    private final long size;
    private volatile boolean closed;

    AbstractBlockDevice(String name, long size, int logicalBlockSize) {
        if (logicalBlockSize < 512
                || Integer.bitCount(logicalBlockSize) != 1
                || size < 0
                || size % logicalBlockSize != 0) {
            throw new KernelException(Errno.EINVAL, "block device " + name);
        }
        this.name = name;
        this.size = size;
        this.logicalBlockSize = logicalBlockSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int logicalBlockSize() {
        return logicalBlockSize;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public final synchronized void read(long offset, byte[] buf, int off, int len) {
        check(offset, buf, off, len, "read");
        doRead(offset, buf, off, len);
    }

    @Override
    public final synchronized void write(long offset, byte[] buf, int off, int len, boolean fua) {
        check(offset, buf, off, len, "write");
        doWrite(offset, buf, off, len, fua);
    }

    @Override
    public final synchronized void flush() {
        if (closed) {
            throw new KernelException(Errno.ENXIO, name + ": flush");
        }
        doFlush();
    }

    @Override
    public final synchronized void close() {
        if (!closed) {
            closed = true;
            doClose();
        }
    }

    private void check(long offset, byte[] buf, int off, int len, String what) {
        if (closed) {
            throw new KernelException(Errno.ENXIO, name + ": " + what);
        }
        if (offset < 0
                || len < 0
                || off < 0
                || off + len > buf.length
                || offset % logicalBlockSize != 0
                || len % logicalBlockSize != 0
                || offset > size - len) {
            throw new KernelException(Errno.EINVAL, name + ": " + what + " of " + len + " bytes at " + offset);
        }
    }

    abstract void doRead(long offset, byte[] buf, int off, int len);

    abstract void doWrite(long offset, byte[] buf, int off, int len, boolean fua);

    abstract void doFlush();

    void doClose() {}
}
