package org.kmodel.trace.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * One per-thread ring buffer (kernel/trace/ring_buffer.c keeps one per CPU; a Java thread has no
 * cheap "current CPU", so the model gives each writing thread its own buffer and prints the buffer
 * number in the CPU column). Single writer (the owning thread), any number of readers:
 * <ul>
 * <li>the writer stores the slot, then publishes {@code head} with release semantics;</li>
 * <li>a reader reads {@code head}, then the slots; entries are immutable and carry their position, so a
 * slot holding another position's entry was overwritten meanwhile and is skipped, with every older entry
 * of the same read (a snapshot never has a hole);</li>
 * <li>consumers ({@code trace_pipe}, clear) move {@code tail} under this buffer's lock.</li>
 * </ul>
 * In overwrite mode a full buffer overwrites its oldest entry and counts an overrun (ftrace's default,
 * {@code options/overwrite} = 1); otherwise the new event is dropped and counted.
 */
final class RingBuffer {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(TraceEntry[].class);
    private static final VarHandle HEAD;
    private static final VarHandle COUNTERS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(RingBuffer.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int cpu;
    private final WeakReference<Thread> owner;
    /** The model's pid of the task writing a buffer (the JVM's thread ids mean nothing to a trace reader). */
    private final long pid;
    private static final java.util.concurrent.atomic.AtomicLong PIDS = new java.util.concurrent.atomic.AtomicLong(100);
    private final TraceEntry[] slots;
    private final int mask;
    private volatile long head;
    private volatile long tail;
    private volatile long clearedAt;
    /** [0] overrun, [1] dropped: written by the owner only, read opaquely by stats readers. */
    private final long[] counters = new long[2];

    RingBuffer(int cpu, Thread owner, int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.cpu = cpu;
        this.owner = new WeakReference<>(owner);
        this.pid = PIDS.getAndIncrement();
        this.slots = new TraceEntry[capacity];
        this.mask = capacity - 1;
    }

    int cpu() {
        return cpu;
    }

    long pid() {
        return pid;
    }

    boolean ownerAlive() {
        Thread t = owner.get();
        return t != null && t.isAlive();
    }

    /** The task name as TASK_COMM_LEN keeps it (15 characters), read when the buffer is printed. */
    String comm() {
        Thread t = owner.get();
        return t == null ? "<...>" : comm(t.getName(), cpu);
    }

    /**
     * The model's comm for a JVM thread: a thread running a shell command (Gogo names it "pipe-" and the
     * command line) is the process of that command, named as execve names it, by the command's own name
     * ({@code trace-cmd}, {@code insmod}; a scoped Gogo command {@code kmodel_oot:fire} is {@code fire}); any
     * other thread does kernel work on behalf of nobody and shows as the per-CPU worker kernel thread
     * {@code kworker/N:0}. Truncated to TASK_COMM_LEN - 1 = 15 characters, as {@code __set_task_comm} does.
     */
    static String comm(String threadName, int cpu) {
        String name;
        if (threadName != null && threadName.startsWith("pipe-")) {
            String cmd = threadName.substring(5).trim().split("\\s+", 2)[0];
            name = cmd.substring(cmd.indexOf(':') + 1);
            if (name.isEmpty()) {
                name = "<...>";
            }
        } else {
            name = "kworker/" + cpu + ":0";
        }
        return name.length() > 15 ? name.substring(0, 15) : name;
    }

    /** Writer side; called only by the owning thread. Returns false if the event was dropped. */
    boolean write(long timestamp, TracepointSite site, Object[] fields, boolean overwrite) {
        long h = head;
        if (h - tail >= slots.length) {
            if (!overwrite) {
                COUNTERS.setOpaque(counters, 1, counters[1] + 1);
                return false;
            }
            COUNTERS.setOpaque(counters, 0, counters[0] + 1);
        }
        SLOTS.setRelease(slots, (int) (h & mask), new TraceEntry(timestamp, h, site, fields));
        HEAD.setRelease(this, h + 1);
        return true;
    }

    /** Copies the unconsumed entries into {@code out}, oldest first, without consuming them. */
    void peek(List<TraceEntry> out) {
        read(out, Integer.MAX_VALUE, false);
    }

    /** Moves up to {@code max} unconsumed entries into {@code out}; returns how many. */
    synchronized int consume(List<TraceEntry> out, int max) {
        return read(out, max, true);
    }

    private int read(List<TraceEntry> out, int max, boolean consume) {
        long h = (long) HEAD.getAcquire(this);
        int start = out.size();
        int n = 0;
        long p = Math.max(tail, h - slots.length);
        for (; p < h && n < max; p++) {
            TraceEntry e = (TraceEntry) SLOTS.getAcquire(slots, (int) (p & mask));
            if (e == null || e.seq() != p) {
                // overwritten since we read head: everything older is behind a lost event, so drop it
                // and continue with the newest contiguous run (the kernel reports "lost events" here)
                out.subList(start, out.size()).clear();
                n = 0;
                continue;
            }
            out.add(e);
            n++;
        }
        if (consume) {
            tail = p;
        }
        return n;
    }

    /** {@code echo > trace}: forget every entry written so far. */
    synchronized void clear() {
        long h = head;
        tail = h;
        clearedAt = h;
        COUNTERS.setOpaque(counters, 0, 0L);
        COUNTERS.setOpaque(counters, 1, 0L);
    }

    boolean hasEntries() {
        return head > Math.max(tail, head - slots.length);
    }

    long entries() {
        long h = head;
        return h - Math.max(tail, h - slots.length);
    }

    long written() {
        return head - clearedAt;
    }

    long overrun() {
        return (long) COUNTERS.getOpaque(counters, 0);
    }

    long dropped() {
        return (long) COUNTERS.getOpaque(counters, 1);
    }
}
