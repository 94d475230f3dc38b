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
 * <li>the writer fills a preallocated slot in place (raw values; formatting happens only when the buffer
 * is read, as trace_output.c does), then publishes {@code head} with release semantics;</li>
 * <li>a reader reads {@code head}, then copies the slots under each slot's sequence number; a slot holding
 * another position (or being rewritten) was overwritten meanwhile and is skipped, with every older entry
 * of the same read (a snapshot never has a hole);</li>
 * <li>consumers ({@code trace_pipe}, clear) move {@code tail} under this buffer's lock.</li>
 * </ul>
 * In overwrite mode a full buffer overwrites its oldest entry and counts an overrun (ftrace's default,
 * {@code options/overwrite} = 1); otherwise the new event is dropped and counted.
 */
final class RingBuffer {
    private static final VarHandle SEQ;
    private static final VarHandle HEAD;
    private static final VarHandle COUNTERS = MethodHandles.arrayElementVarHandle(long[].class);
    /** A slot's {@code seq} while its owner rewrites it: no position is negative. */
    private static final long BUSY = -1;
    /** Field kinds a slot keeps unboxed, so the boxes of a traced call need not exist. */
    private static final byte REF = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final Object[] NO_FIELDS = new Object[0];

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(RingBuffer.class, "head", long.class);
            SEQ = MethodHandles.lookup().findVarHandle(Slot.class, "seq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One preallocated entry (ring_buffer.c reserves space in a preallocated page and the event is written
     * in place): the writer fills it in place, the raw values as the tracepoint passed them, ints and longs
     * unboxed. A seqlock makes a racing read safe: {@code seq} is {@link #BUSY} while the slot is rewritten
     * and the entry's position once it is whole; a reader copies the slot and keeps the copy only if
     * {@code seq} held the position it wanted both before and after.
     */
    static final class Slot {
        volatile long seq = BUSY;
        long timestamp;
        TracepointSite site;
        int count;
        byte[] kinds = new byte[0];
        long[] prims = new long[0];
        Object[] refs = NO_FIELDS;

        /** Copies one event in; the caller has marked the slot BUSY. Kept small so the JIT inlines it. */
        void fill(long ts, TracepointSite tp, Object[] fields) {
            int n = fields.length;
            if (kinds.length < n) {
                grow(n);
            }
            byte[] k = kinds;
            long[] p = prims;
            Object[] r = refs;
            for (int i = 0; i < n; i++) {
                Object v = fields[i];
                if (v instanceof Integer x) {
                    k[i] = INT;
                    p[i] = x;
                    clear(r, i);
                } else if (v instanceof Long x) {
                    k[i] = LONG;
                    p[i] = x;
                    clear(r, i);
                } else {
                    k[i] = REF;
                    if (r[i] != v) {
                        r[i] = v;
                    }
                }
            }
            count = n;
            timestamp = ts;
            if (site != tp) {
                site = tp;
            }
        }

        private static void clear(Object[] r, int i) {
            if (r[i] != null) {
                r[i] = null;
            }
        }

        private void grow(int n) {
            kinds = new byte[n];
            prims = new long[n];
            refs = java.util.Arrays.copyOf(refs, n);
        }
    }

    private final int cpu;
    private final WeakReference<Thread> owner;
    /** {@link Thread#getId()} of the owner: lets the writer find its buffer without a ThreadLocal lookup. */
    private final long ownerId;
    /** The model's pid of the task writing a buffer (the JVM's thread ids mean nothing to a trace reader). */
    private final long pid;
    private static final java.util.concurrent.atomic.AtomicLong PIDS = new java.util.concurrent.atomic.AtomicLong(100);
    private final Slot[] slots;
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
        this.ownerId = owner.getId();
        this.pid = PIDS.getAndIncrement();
        this.slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new Slot();
        }
        this.mask = capacity - 1;
    }

    long ownerId() {
        return ownerId;
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

    /**
     * Writer side; called only by the owning thread. Returns false if the event was dropped. Nothing is
     * allocated once a slot has held an event with as many fields: the values are copied into the slot
     * (an Integer or Long as its primitive, so a box the caller made need not escape), and a reference is
     * stored only if it differs from the one the slot holds (a store into this long-lived array costs a
     * GC write barrier with a fence).
     */
    boolean write(long timestamp, TracepointSite site, Object[] fields, boolean overwrite) {
        long h = head;
        if (h - tail >= slots.length && !full(overwrite)) {
            return false;
        }
        Slot s = slots[(int) (h & mask)];
        SEQ.setOpaque(s, BUSY);
        VarHandle.storeStoreFence(); // BUSY is visible before any field changes
        s.fill(timestamp, site, fields);
        SEQ.setRelease(s, h); // the entry is whole
        HEAD.setRelease(this, h + 1);
        return true;
    }

    /** A full buffer: counts an overrun (and the write goes on) or a dropped event (and it stops). */
    private boolean full(boolean overwrite) {
        if (!overwrite) {
            COUNTERS.setOpaque(counters, 1, counters[1] + 1);
            return false;
        }
        COUNTERS.setOpaque(counters, 0, counters[0] + 1);
        return true;
    }

    /**
     * The entry at position {@code p} as an immutable copy, or null if the slot holds another position (or is
     * being rewritten) before or after the copy.
     */
    private TraceEntry copy(long p) {
        Slot s = slots[(int) (p & mask)];
        if ((long) SEQ.getAcquire(s) != p) {
            return null;
        }
        long ts = s.timestamp;
        TracepointSite site = s.site;
        int n = s.count;
        byte[] kinds = s.kinds;
        long[] prims = s.prims;
        Object[] refs = s.refs;
        Object[] fields = n == 0 ? NO_FIELDS : new Object[n];
        if (n > kinds.length || n > prims.length || n > refs.length) {
            return null; // torn: the arrays were replaced meanwhile; the check below would fail too
        }
        for (int i = 0; i < n; i++) {
            byte k = kinds[i];
            fields[i] = k == INT ? Integer.valueOf((int) prims[i]) : k == LONG ? Long.valueOf(prims[i]) : refs[i];
        }
        VarHandle.loadLoadFence(); // the copy above is complete before seq is read again
        if ((long) SEQ.getOpaque(s) != p) {
            return null;
        }
        return new TraceEntry(ts, p, site, fields);
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
            TraceEntry e = copy(p);
            if (e == null) {
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
