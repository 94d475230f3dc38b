package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.kmodel.trace.TraceBufferStats;

/**
 * The set of per-thread ring buffers of one trace array ({@code struct trace_buffer}): buffer lookup
 * on the traced path is a thread-local read, reads merge the buffers by timestamp (as the
 * {@code trace} iterator merges per-CPU buffers), and {@code trace_pipe} readers sleep until a writer
 * wakes them. Buffers of dead threads are dropped once they are empty.
 */
final class TraceBuffers {
    /** Longest a trace_pipe reader sleeps before looking again (covers a missed wake-up). */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final int capacity;
    private volatile boolean overwrite;
    private final long bootNanos;
    private final List<RingBuffer> buffers = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextCpu = new AtomicInteger();
    private final ThreadLocal<RingBuffer> local = ThreadLocal.withInitial(this::newBuffer);
    private final List<Thread> waiters = new CopyOnWriteArrayList<>();
    private volatile boolean anyWaiter;

    TraceBuffers(int capacity, boolean overwrite, long bootNanos) {
        this.capacity = Integer.highestOneBit(Math.max(2, capacity - 1) << 1);
        this.overwrite = overwrite;
        this.bootNanos = bootNanos;
    }

    private RingBuffer newBuffer() {
        RingBuffer b = new RingBuffer(nextCpu.getAndIncrement(), Thread.currentThread(), capacity);
        buffers.add(b);
        return b;
    }

    int capacity() {
        return capacity;
    }

    boolean overwrite() {
        return overwrite;
    }

    void setOverwrite(boolean on) {
        overwrite = on;
    }

    long bootNanos() {
        return bootNanos;
    }

    /**
     * The buffer the last write used: one thread writing many events in a row finds its buffer with a thread
     * id compare instead of a ThreadLocal lookup. Racy on purpose: a RingBuffer's ownerId is final, and a
     * stale or foreign value only sends the writer to the ThreadLocal.
     */
    private RingBuffer last;

    /** Records one event from the calling thread, passed by value as the dispatcher passes it ({@link BufferProbe}). */
    void write(
            TracepointSite site,
            int n,
            Object a0,
            Object a1,
            Object a2,
            Object a3,
            Object a4,
            Object a5,
            Object[] all) {
        Thread me = Thread.currentThread();
        RingBuffer b = last;
        if (b == null || b.ownerId() != me.getId()) {
            b = mine();
        }
        b.taskName(me.getName()); // the command this thread runs now (RingBuffer.Task)
        if (b.write(System.nanoTime(), site, n, a0, a1, a2, a3, a4, a5, all, overwrite) && anyWaiter) {
            wakeReaders();
        }
    }

    /** The calling thread's buffer from the ThreadLocal (out of line: the traced path stays small). */
    private RingBuffer mine() {
        RingBuffer b = local.get();
        last = b;
        return b;
    }

    private void wakeReaders() {
        for (Thread t : waiters) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Consumes up to {@code max} entries, oldest first across buffers, waiting up to
     * {@code timeoutNanos} for the first one.
     */
    List<BufferedEntry> consume(int max, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        Thread me = Thread.currentThread();
        while (true) {
            List<BufferedEntry> got = consumeNow(max);
            if (!got.isEmpty()) {
                return got;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return got;
            }
            waiters.add(me);
            anyWaiter = true;
            try {
                if (!anyEntries()) { // re-check after announcing ourselves: no lost wake-up beyond POLL_NANOS
                    LockSupport.parkNanos(this, Math.min(left, POLL_NANOS));
                }
            } finally {
                waiters.remove(me);
                anyWaiter = !waiters.isEmpty();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private List<BufferedEntry> consumeNow(int max) {
        List<BufferedEntry> all = new ArrayList<>();
        List<TraceEntry> tmp = new ArrayList<>();
        for (RingBuffer b : buffers) {
            tmp.clear();
            b.peek(tmp);
            for (TraceEntry e : tmp) {
                all.add(new BufferedEntry(b, e));
            }
        }
        all.sort(Comparator.comparingLong(be -> be.entry().timestamp()));
        List<BufferedEntry> taken = all.size() > max ? new ArrayList<>(all.subList(0, max)) : all;
        // consume, per buffer, exactly the entries taken (they are a prefix of each buffer); a buffer none was
        // taken from still passes the entries that are never read back (RingBuffer.read)
        for (RingBuffer b : buffers) {
            int n = 0;
            for (BufferedEntry be : taken) {
                if (be.buffer() == b) {
                    n++;
                }
            }
            b.consume(new ArrayList<>(), n);
        }
        prune();
        return taken;
    }

    /** Every unconsumed entry with its buffer, oldest first. */
    List<BufferedEntry> entries() {
        List<BufferedEntry> all = new ArrayList<>();
        List<TraceEntry> tmp = new ArrayList<>();
        for (RingBuffer b : buffers) {
            tmp.clear();
            b.peek(tmp);
            for (TraceEntry e : tmp) {
                all.add(new BufferedEntry(b, e));
            }
        }
        all.sort(Comparator.comparingLong(be -> be.entry().timestamp()));
        return all;
    }

    private boolean anyEntries() {
        for (RingBuffer b : buffers) {
            if (b.hasEntries()) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        for (RingBuffer b : buffers) {
            b.clear();
        }
        prune();
    }

    private void prune() {
        buffers.removeIf(b -> !b.ownerAlive() && !b.hasEntries());
    }

    TraceBufferStats stats() {
        long entries = 0;
        long written = 0;
        long overrun = 0;
        long dropped = 0;
        for (RingBuffer b : buffers) {
            entries += b.entries();
            written += b.written();
            overrun += b.overrun();
            dropped += b.dropped();
        }
        return new TraceBufferStats(entries, written, overrun, dropped, buffers.size());
    }

    /** An entry with the buffer it was read from. */
    record BufferedEntry(RingBuffer buffer, TraceEntry entry) {}
}
