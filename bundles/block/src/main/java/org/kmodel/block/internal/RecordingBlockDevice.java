package org.kmodel.block.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.WriteLogEntry;
import org.kmodel.block.WriteLogEntry.Kind;
import org.kmodel.block.WriteRecorder;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * dm-log-writes (drivers/md/dm-log-writes.c): passes I/O through to the lower device and logs each write
 * with its data, each flush and each user mark. The log is kept in submission order; because our devices
 * complete writes synchronously, that is also completion order, which is what log-writes records.
 */
public final class RecordingBlockDevice extends AbstractBlockDevice implements WriteRecorder {
    private final BlockDevice lower;
    private final MemoryBlockDevice start;
    private final List<WriteLogEntry> entries = new ArrayList<>();
    private final List<byte[]> data = new ArrayList<>();

    public RecordingBlockDevice(BlockDevice lower) {
        super(lower.name() + "-logw", lower.size(), lower.logicalBlockSize());
        this.lower = lower;
        this.start = snapshot(lower);
    }

    private static MemoryBlockDevice snapshot(BlockDevice dev) {
        if (dev instanceof MemoryBlockDevice m) {
            return m.copy(dev.name() + "-start");
        }
        MemoryBlockDevice copy = new MemoryBlockDevice(dev.name() + "-start", dev.size(), dev.logicalBlockSize());
        byte[] buf = new byte[1 << 16];
        for (long off = 0; off < dev.size(); off += buf.length) {
            int n = (int) Math.min(buf.length, dev.size() - off);
            dev.read(off, buf, 0, n);
            if (!allZero(buf, n)) {
                copy.write(off, buf, 0, n, false);
            }
        }
        return copy;
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    void doRead(long offset, byte[] buf, int off, int len) {
        lower.read(offset, buf, off, len);
    }

    @Override
    void doWrite(long offset, byte[] buf, int off, int len, boolean fua) {
        lower.write(offset, buf, off, len, fua);
        append(Kind.WRITE, offset, len, fua, null, java.util.Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    void doFlush() {
        lower.flush();
        append(Kind.FLUSH, 0, 0, false, null, null);
    }

    @Override
    public synchronized int mark(String name) {
        return append(Kind.MARK, 0, 0, false, name, null);
    }

    private int append(Kind kind, long offset, int len, boolean fua, String mark, byte[] bytes) {
        int idx = entries.size();
        entries.add(new WriteLogEntry(idx, kind, offset, len, fua, mark));
        data.add(bytes);
        return idx;
    }

    @Override
    public synchronized List<WriteLogEntry> log() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized BlockDevice replay(int count) {
        checkCount(count);
        MemoryBlockDevice dev = start.copy(name() + "@" + count);
        for (int i = 0; i < count; i++) {
            apply(dev, i);
        }
        return dev;
    }

    @Override
    public synchronized BlockDevice replay(int count, long seed) {
        checkCount(count);
        int lastFlush = -1;
        for (int i = 0; i < count; i++) {
            if (entries.get(i).kind() == Kind.FLUSH) {
                lastFlush = i;
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        MemoryBlockDevice dev = start.copy(name() + "@" + count + "~" + seed);
        for (int i = 0; i < count; i++) {
            // Writes after the last completed flush may or may not have left the volatile cache.
            if (i <= lastFlush || entries.get(i).fua() || rnd.nextBoolean()) {
                apply(dev, i);
            }
        }
        return dev;
    }

    private void checkCount(int count) {
        if (count < 0 || count > entries.size()) {
            throw new KernelException(Errno.EINVAL, "replay " + count + " of " + entries.size() + " entries");
        }
    }

    private void apply(MemoryBlockDevice dev, int i) {
        WriteLogEntry e = entries.get(i);
        if (e.kind() == Kind.WRITE) {
            byte[] b = data.get(i);
            dev.write(e.offset(), b, 0, b.length, false);
        }
    }

    @Override
    void doClose() {
        lower.close();
    }
}
