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
 * <li>the slots are preallocated parallel arrays (timestamp, site, fields, and the position the slot
 * holds), so recording an event allocates nothing (issue 5: the former immutable 40-byte entry per event);
 * each slot is a seqlock keyed by its position, as below;</li>
 * <li>the writer rewrites the slot, then publishes {@code head} with release semantics;</li>
 * <li>a reader reads {@code head}, then each slot, and keeps it only if the slot's position was the one
 * asked for both before and after reading the data; a slot holding another position was overwritten
 * meanwhile and is skipped, with every older entry of the same read (a snapshot never has a hole).
 * The reader copies a validated slot into an immutable {@link TraceEntry}.</li>
 * <li>consumers ({@code trace_pipe}, clear) move {@code tail} under this buffer's lock.</li>
 * </ul>
 * In overwrite mode a full buffer overwrites its oldest entry and counts an overrun (ftrace's default,
 * {@code options/overwrite} = 1); otherwise the new event is dropped and counted.
 */
final class RingBuffer {
    private static final VarHandle POS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STAMP = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SITE = MethodHandles.arrayElementVarHandle(TracepointSite[].class);
    private static final VarHandle FIELDS = MethodHandles.arrayElementVarHandle(Object[][].class);
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Object[].class);
    /** Position of a slot being rewritten (or never written): matches no position a reader asks for. */
    private static final long BUSY = -1L;
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
    private final long pid;
    /** The position each slot holds, or {@link #BUSY}; the seqlock word of the slot. */
    private final long[] slotPos;
    private final long[] slotStamp;
    private final TracepointSite[] slotSite;
    /** Each slot's own copy of the fields (the writer's; a reader copies it again before validating). */
    private final Object[][] slotFields;
    private final int capacity;
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
        this.pid = owner.getId();
        this.slotPos = new long[capacity];
        java.util.Arrays.fill(slotPos, BUSY);
        this.slotStamp = new long[capacity];
        this.slotSite = new TracepointSite[capacity];
        this.slotFields = new Object[capacity][];
        this.capacity = capacity;
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
        String name = t == null ? null : t.getName();
        return name == null ? "<...>" : name.length() > 15 ? name.substring(0, 15) : name;
    }

    /** Writer side; called only by the owning thread. Returns false if the event was dropped. */
    boolean write(long timestamp, TracepointSite site, Object[] fields, boolean overwrite) {
        long h = head;
        if (h - tail >= capacity) {
            if (!overwrite) {
                COUNTERS.setOpaque(counters, 1, counters[1] + 1);
                return false;
            }
            COUNTERS.setOpaque(counters, 0, counters[0] + 1);
        }
        int i = (int) (h & mask);
        // Seqlock write (the slot's position is its sequence word). Marking the slot BUSY first, with a
        // StoreStore fence before the data stores, means a reader that sees any of the new data also sees
        // the slot no longer holding the position it asked for when it re-reads it after a LoadLoad fence
        // (StampedLock.validate's argument). The release store of the position then publishes the data to
        // a reader that acquires it. On x86 both fences and the release store are plain moves: no
        // allocation and no StoreLoad barrier here.
        POS.setOpaque(slotPos, i, BUSY);
        VarHandle.storeStoreFence();
        STAMP.setOpaque(slotStamp, i, timestamp); // opaque: a long must not tear for a racing reader
        SITE.setOpaque(slotSite, i, site);
        copyFields(i, fields);
        POS.setRelease(slotPos, i, h);
        HEAD.setRelease(this, h + 1);
        return true;
    }

    /**
     * Copies the event's fields into the slot's own array (reused while the field count stays the same),
     * as the kernel copies the event into the buffer: the caller's array is not kept. Counts up to four
     * are copied with constant indices, so when the whole call is inlined C2's escape analysis can remove
     * the caller's varargs array (it cannot with a loop: a variable index makes an array non-scalar).
     */
    private void copyFields(int i, Object[] fields) {
        Object[] dst = slotFields[i];
        int n = fields.length;
        if (dst == null || dst.length != n) {
            dst = new Object[n];
            FIELDS.setOpaque(slotFields, i, dst); // after the BUSY mark and fence, like the other data
        }
        switch (n) {
            case 0 -> { }
            case 1 -> dst[0] = fields[0];
            case 2 -> {
                dst[0] = fields[0];
                dst[1] = fields[1];
            }
            case 3 -> {
                dst[0] = fields[0];
                dst[1] = fields[1];
                dst[2] = fields[2];
            }
            case 4 -> {
                dst[0] = fields[0];
                dst[1] = fields[1];
                dst[2] = fields[2];
                dst[3] = fields[3];
            }
            default -> System.arraycopy(fields, 0, dst, 0, n);
        }
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
        long p = Math.max(tail, h - capacity);
        for (; p < h && n < max; p++) {
            TraceEntry e = slot(p);
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

    /**
     * Seqlock read of the slot of position {@code p}: null if the slot does not hold {@code p} from
     * before the data loads to after them (overwritten, or being overwritten). Only the slot's own field
     * array is dereferenced before validation (its length and elements; the JVM never shows an array
     * with an uninitialised header, and what is read from it is discarded unless the slot validates); the
     * site and the field values are handed out only after it.
     */
    private TraceEntry slot(long p) {
        int i = (int) (p & mask);
        if ((long) POS.getAcquire(slotPos, i) != p) {
            return null;
        }
        long stamp = (long) STAMP.getOpaque(slotStamp, i);
        TracepointSite site = (TracepointSite) SITE.getOpaque(slotSite, i);
        Object[] slotArray = (Object[]) FIELDS.getOpaque(slotFields, i);
        Object[] fields = new Object[slotArray.length];
        for (int k = 0; k < fields.length; k++) {
            fields[k] = ELEMENT.getOpaque(slotArray, k);
        }
        VarHandle.loadLoadFence();
        if ((long) POS.getOpaque(slotPos, i) != p) {
            return null;
        }
        return new TraceEntry(stamp, p, site, fields);
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
        return head > Math.max(tail, head - capacity);
    }

    long entries() {
        long h = head;
        return h - Math.max(tail, h - capacity);
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
