package org.kmodel.block.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * A sparse RAM disk (drivers/block/brd.c): chunks are allocated on first write, unwritten chunks read as
 * zeros. Writes are durable at once, so flush and FUA cost nothing.
 */
public final class MemoryBlockDevice extends AbstractBlockDevice {
    static final int CHUNK = 4096;
    private final Map<Long, byte[]> chunks = new HashMap<>();

    public MemoryBlockDevice(String name, long size, int logicalBlockSize) {
        super(name, size, logicalBlockSize);
    }

    /** An independent copy of the content (used for the recorder's start snapshot). */
    public synchronized MemoryBlockDevice copy(String newName) {
        MemoryBlockDevice c = new MemoryBlockDevice(newName, size(), logicalBlockSize());
        chunks.forEach((k, v) -> c.chunks.put(k, v.clone()));
        return c;
    }

    /** Bytes of memory the device holds (allocated chunks). */
    public synchronized long allocatedBytes() {
        return (long) chunks.size() * CHUNK;
    }

    @Override
    void doRead(long offset, byte[] buf, int off, int len) {
        while (len > 0) {
            long idx = offset / CHUNK;
            int in = (int) (offset % CHUNK);
            int n = Math.min(len, CHUNK - in);
            byte[] c = chunks.get(idx);
            if (c == null) {
                java.util.Arrays.fill(buf, off, off + n, (byte) 0);
            } else {
                System.arraycopy(c, in, buf, off, n);
            }
            offset += n;
            off += n;
            len -= n;
        }
    }

    @Override
    void doWrite(long offset, byte[] buf, int off, int len, boolean fua) {
        while (len > 0) {
            long idx = offset / CHUNK;
            int in = (int) (offset % CHUNK);
            int n = Math.min(len, CHUNK - in);
            System.arraycopy(buf, off, chunks.computeIfAbsent(idx, k -> new byte[CHUNK]), in, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    @Override
    void doFlush() {}

    @Override
    void doClose() {
        chunks.clear();
    }
}
