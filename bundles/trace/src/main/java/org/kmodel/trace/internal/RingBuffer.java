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
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle PAGES = MethodHandles.arrayElementVarHandle(Page[].class);
    private static final VarHandle HEAD;
    private static final VarHandle DROPPED;
    /** A slot's {@code seq} while its owner rewrites it: no position is negative. */
    private static final long BUSY = -1;
    /** Field kinds an entry keeps unboxed, so the boxes of a traced call need not exist. */
    private static final int REF = 0;

    private static final int INT = 1;
    private static final int LONG = 2;
    private static final Object[] NO_FIELDS = new Object[0];
    /** Entries per page (fewer if the whole buffer is smaller). */
    private static final int PAGE = 256;
    /** Fields kept inline per entry; an event with more keeps the rest in an array of its own. */
    static final int STRIDE = TracepointState.ARGS;
    /** Longs per entry: position, timestamp, header, the inline fields, the task. */
    private static final int WORDS = 4 + STRIDE;
    /** The word of an entry that holds the pid of the task that wrote it. */
    private static final int TASK = 3 + STRIDE;
    /** References per entry: the site, the inline fields. */
    private static final int REFS = 1 + STRIDE;
    /** Header word: field count (bits 0-15), 2 bits of kind per inline field, the tracepoint's serial (bits 28-63). */
    private static final long COUNT_MASK = 0xffff;

    private static final int KIND_SHIFT = 16;
    private static final int SERIAL_SHIFT = KIND_SHIFT + 2 * STRIDE;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(RingBuffer.class, "head", long.class);
            DROPPED = MethodHandles.lookup().findVarHandle(RingBuffer.class, "dropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Entries as the kernel's ring buffer keeps them (kernel/trace/ring_buffer.c: events written in place
     * into preallocated pages, formatted only when read). A page holds {@link #PAGE} entries, each as
     * {@link #WORDS} consecutive longs of one array, so an event is written to one contiguous 80-byte run and
     * consecutive events to consecutive memory: the entry's position ({@link #BUSY} while its owner rewrites
     * it), the timestamp, a header word (field count, the kind of each inline field, the tracepoint's serial
     * number), the first {@link #STRIDE} fields, ints and longs unboxed, and the pid of the task that wrote it. References (the tracepoint site and
     * reference-typed fields) live in a parallel array and are stored only when they differ from what the
     * entry held: the header says whether the site changed (by serial number) and whether a field was a
     * reference before, so an event of primitives whose tracepoint last used the same entry touches only its
     * own 80 bytes (a reference store into a long-lived array costs a GC write barrier with a StoreLoad fence
     * under G1). Further fields go to a per-entry array. A seqlock makes a racing read safe: a reader copies
     * the entry and keeps the copy only if the position word held the position it wanted before and after.
     */
    static final class Page {
        final long[] w;
        final Object[] ref;
        final Object[][] more;

        Page(int entries) {
            w = new long[entries * WORDS];
            for (int i = 0; i < entries; i++) {
                w[i * WORDS] = BUSY;
            }
            ref = new Object[entries * REFS];
            more = new Object[entries][];
        }

        /**
         * Copies one event into entry {@code i}; the caller has marked it BUSY. The event comes by value, as the
         * dispatcher passes it (its first {@link #STRIDE} fields, and the caller's whole array only when it has
         * more), so the caller's varargs array need not exist.
         */
        void fill(
                int i,
                long ts,
                TracepointSite tp,
                int n,
                Object a0,
                Object a1,
                Object a2,
                Object a3,
                Object a4,
                Object a5,
                Object[] all) {
            if (n > COUNT_MASK) {
                throw tooMany(n); // the dispatcher counts a probe error
            }
            int base = i * WORDS;
            long old = w[base + 2];
            long header = n;
            if (n > 0) {
                header |= field(i, 0, old, a0);
            }
            if (n > 1) {
                header |= field(i, 1, old, a1);
            }
            if (n > 2) {
                header |= field(i, 2, old, a2);
            }
            if (n > 3) {
                header |= field(i, 3, old, a3);
            }
            if (n > 4) {
                header |= field(i, 4, old, a4);
            }
            if (n > 5) {
                header |= field(i, 5, old, a5);
            }
            if (n > STRIDE || (old & COUNT_MASK) > STRIDE) {
                more[i] = n > STRIDE ? java.util.Arrays.copyOfRange(all, STRIDE, n) : null;
            }
            long serial = tp == null ? 0 : tp.state().serial; // the function tracer records no site
            if (old >>> SERIAL_SHIFT != serial) {
                ref[i * REFS] = tp;
            }
            w[base + 1] = ts;
            w[base + 2] = serial << SERIAL_SHIFT | header;
        }

        /** Inline field {@code j} of entry {@code i} stored; returns its kind in the header's place. */
        private long field(int i, int j, long old, Object v) {
            int kind = put(i * WORDS + 3 + j, i * REFS + 1 + j, j < (old & COUNT_MASK) && kind(old, j) == REF, v);
            return (long) kind << (KIND_SHIFT + 2 * j);
        }

        /**
         * One inline field: an Integer or Long as its value in word {@code word} (clearing the reference slot if
         * the entry's previous event had a reference there), anything else as a reference in {@code slot}, stored
         * only if it is not the very reference the slot holds. Returns the field's kind.
         */
        @SuppressWarnings("ReferenceEquality") // identity on purpose: skip re-storing the very same reference
        private int put(int word, int slot, boolean wasRef, Object v) {
            int kind;
            if (v instanceof Integer x) {
                w[word] = x;
                kind = INT;
            } else if (v instanceof Long x) {
                w[word] = x;
                kind = LONG;
            } else {
                if (!wasRef || ref[slot] != v) {
                    ref[slot] = v;
                }
                return REF;
            }
            if (wasRef) {
                ref[slot] = null;
            }
            return kind;
        }

        private static IllegalArgumentException tooMany(int n) {
            return new IllegalArgumentException("too many fields: " + n);
        }

        static int kind(long header, int j) {
            return (int) (header >>> (KIND_SHIFT + 2 * j)) & 3;
        }
    }

    private final int cpu;
    private final WeakReference<Thread> owner;
    /** {@link Thread#getId()} of the owner: lets the writer find its buffer without a ThreadLocal lookup. */
    private final long ownerId;
    /** The model's pid of the task writing a buffer (the JVM's thread ids mean nothing to a trace reader). */
    private final long pid;

    private static final java.util.concurrent.atomic.AtomicLong PIDS = new java.util.concurrent.atomic.AtomicLong(100);
    private final int capacity;
    private final int mask;
    private final int pageShift;
    private final int pageMask;
    /** Allocated by the writer on first use, published with release semantics. */
    private final Page[] pages;

    private volatile long head;
    private volatile long tail;
    private volatile long clearedAt;
    /** Events dropped by a full buffer in non-overwrite mode: written by the owner only, read opaquely. */
    private long dropped;
    /**
     * Overwritten entries a consumer has already passed (under this buffer's lock). The overrun count is this plus
     * the entries overwritten behind {@code tail} since, {@code head - capacity - tail}: the writer in overwrite mode
     * (the default) then neither reads {@code tail} nor counts anything.
     */
    private volatile long passedOverrun;

    RingBuffer(int cpu, Thread owner, int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.cpu = cpu;
        this.owner = new WeakReference<>(owner);
        this.ownerId = owner.getId();
        this.pid = PIDS.getAndIncrement();
        this.capacity = capacity;
        this.mask = capacity - 1;
        int page = Math.min(PAGE, capacity);
        this.pageShift = Integer.numberOfTrailingZeros(page);
        this.pageMask = page - 1;
        this.pages = new Page[capacity / page];
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

    /**
     * The pid and comm the trace prints for an event. The kernel records the writing task's pid in each event and
     * keeps the comm of recent pids in {@code saved_cmdlines} (kernel/trace/trace.c trace_save_cmdline, 128 by
     * default: an event of a pid no longer there prints {@code <...>}). The model's tasks are the commands its
     * buffer's thread runs: each time the thread's name changes (Gogo names the thread after the command it runs)
     * the events that follow belong to a new task with a pid of its own.
     */
    record Task(long pid, String comm) {}

    /** saved_cmdlines_size's default. */
    static final int SAVED_CMDLINES = 128;

    private final Task[] savedCmdlines = new Task[SAVED_CMDLINES];
    private int nextSaved;
    /** The owner's name when it last changed task (a reference compare: Thread.setName stores a new String). */
    private String taskName;

    private long taskPid;

    /**
     * Called by the owner before a write with its current name: a new task if the name changed since its last
     * event (identity on purpose: the same String object until the thread is renamed).
     */
    void taskName(String name) {
        if (name != taskName) {
            newTask(name);
        }
    }

    private synchronized void newTask(String name) {
        taskPid = taskName == null ? pid : PIDS.getAndIncrement();
        taskName = name;
        savedCmdlines[nextSaved] = new Task(taskPid, comm(name, cpu));
        nextSaved = (nextSaved + 1) % SAVED_CMDLINES;
    }

    /** The task of an entry read from this buffer: its pid, and the comm saved for it or {@code <...>}. */
    synchronized Task task(TraceEntry e) {
        for (Task t : savedCmdlines) {
            if (t != null && t.pid() == e.task()) {
                return t;
            }
        }
        return new Task(e.task(), "<...>");
    }

    boolean ownerAlive() {
        Thread t = owner.get();
        return t != null && t.isAlive();
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
        taskName(Thread.currentThread().getName());
        int n = fields.length;
        return write(
                timestamp,
                site,
                n,
                TracepointState.arg(fields, 0),
                TracepointState.arg(fields, 1),
                TracepointState.arg(fields, 2),
                TracepointState.arg(fields, 3),
                TracepointState.arg(fields, 4),
                TracepointState.arg(fields, 5),
                n > STRIDE ? fields : null,
                overwrite);
    }

    /** {@link #write(long, TracepointSite, Object[], boolean)} with the event by value (see {@link Page#fill}). */
    boolean write(
            long timestamp,
            TracepointSite site,
            int n,
            Object a0,
            Object a1,
            Object a2,
            Object a3,
            Object a4,
            Object a5,
            Object[] all,
            boolean overwrite) {
        long h = head;
        if (!overwrite && h - tail >= capacity) {
            DROPPED.setOpaque(this, dropped + 1); // full: the new event is dropped and counted
            return false;
        } // overwrite mode: a full buffer's oldest entry goes, counted by overrun()
        int at = (int) (h & mask);
        Page pg = pages[at >>> pageShift];
        if (pg == null) {
            pg = newPage(at >>> pageShift);
        }
        int i = at & pageMask;
        WORD.setOpaque(pg.w, i * WORDS, BUSY);
        VarHandle.storeStoreFence(); // BUSY is visible before any field changes
        pg.fill(i, timestamp, site, n, a0, a1, a2, a3, a4, a5, all);
        pg.w[i * WORDS + TASK] = taskPid;
        WORD.setRelease(pg.w, i * WORDS, h); // the entry is whole
        HEAD.setRelease(this, h + 1);
        return true;
    }

    private Page newPage(int n) {
        Page pg = new Page(pageMask + 1);
        PAGES.setRelease(pages, n, pg); // a reader sees the page with every seq BUSY, or no page
        return pg;
    }

    /**
     * The entry at position {@code p} as an immutable copy, or null if the slot holds another position (or is
     * being rewritten) before or after the copy.
     */
    private TraceEntry copy(long p) {
        int at = (int) (p & mask);
        Page pg = (Page) PAGES.getAcquire(pages, at >>> pageShift);
        int i = at & pageMask;
        int base = i * WORDS;
        if (pg == null || (long) WORD.getAcquire(pg.w, base) != p) {
            return null;
        }
        long ts = pg.w[base + 1];
        long header = pg.w[base + 2];
        long task = pg.w[base + TASK];
        int rbase = i * REFS;
        TracepointSite site = (TracepointSite) pg.ref[rbase];
        int n = (int) (header & COUNT_MASK);
        Object[] extra = pg.more[i];
        int inline = Math.min(n, STRIDE);
        if (n > STRIDE && (extra == null || extra.length != n - STRIDE)) {
            return null; // torn: rewritten meanwhile; the check below would fail too
        }
        Object[] fields = n == 0 ? NO_FIELDS : new Object[n];
        for (int j = 0; j < inline; j++) {
            int k = Page.kind(header, j);
            long v = pg.w[base + 3 + j];
            fields[j] = k == INT ? Integer.valueOf((int) v) : k == LONG ? Long.valueOf(v) : pg.ref[rbase + 1 + j];
        }
        if (n > STRIDE) {
            System.arraycopy(extra, 0, fields, STRIDE, n - STRIDE);
        }
        VarHandle.loadLoadFence(); // the copy above is complete before the position is read again
        if ((long) WORD.getOpaque(pg.w, base) != p) {
            return null;
        }
        return new TraceEntry(ts, p, site, fields, task);
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
        long before = tail;
        int start = out.size();
        int n = 0;
        long p = Math.max(before, h - capacity);
        for (; p < h; p++) {
            TraceEntry e = copy(p);
            if (e == null) {
                // overwritten since we read head: everything older is behind a lost event, so drop it
                // and continue with the newest contiguous run (the kernel reports "lost events" here)
                out.subList(start, out.size()).clear();
                n = 0;
                continue;
            }
            if (e.site() != null && e.site().state().removed()) {
                // a removed tracepoint's entry: the removal cleared the buffers (trace_module_remove_events), so
                // a recorder call still running then wrote it (BufferProbe). Never read back; a consumer passes
                // it even when it takes nothing else.
                continue;
            }
            if (n == max) {
                break;
            }
            out.add(e);
            n++;
        }
        if (consume) {
            long overwritten = Math.min(p, (long) HEAD.getAcquire(this) - capacity) - before;
            if (overwritten > 0) {
                passedOverrun += overwritten; // consumers hold this buffer's lock
            }
            tail = p;
        }
        return n;
    }

    /** {@code echo > trace}: forget every entry written so far. */
    synchronized void clear() {
        long h = head;
        tail = h;
        clearedAt = h;
        passedOverrun = 0;
        DROPPED.setOpaque(this, 0L);
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

    /** Entries overwritten before a consumer took them (ring_buffer_overrun_cpu). */
    long overrun() {
        long h = head;
        return passedOverrun + Math.max(0, h - capacity - tail);
    }

    long dropped() {
        return (long) DROPPED.getOpaque(this);
    }
}
