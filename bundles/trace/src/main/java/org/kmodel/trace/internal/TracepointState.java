package org.kmodel.trace.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.trace.TraceProbe;

/**
 * One tracepoint's probe list and switch ({@code struct tracepoint}, kernel/tracepoint.c).
 * The probe array is copy-on-write and published through a volatile field (the kernel's
 * {@code rcu_assign_pointer(tp->funcs, ...)}); the dispatcher reads it inside a {@link TraceRcu}
 * section so {@link #removeProbe} can wait for the calls still running the old array. The call site
 * is retargeted, and the opaque {@code armed} guard flipped, only when the probe count crosses zero
 * (static_key_enable/disable).
 *
 * <p>A list holding only {@link BufferProbe}s (the trace arrays' recorders) is called outside the read-side
 * section: nobody waits for a recorder's calls to end (see {@link BufferProbe}), and the section's entry
 * costs a StoreLoad fence that the kernel's read side ({@code preempt_disable}) does not pay. A list with
 * any other probe enters the section first and then reads the list again, so the grace period covers
 * every list that contains such a probe.
 */
final class TracepointState {
    private static final ProbeList NONE = new ProbeList(new TraceProbe[0]);
    /** Fields passed by value to the dispatcher and the recorders; an event with more also passes its array. */
    static final int ARGS = 6;

    /** {@code dispatch(n, a0, ..., a5, all)}: see {@link #dispatch}. */
    private static final MethodType FIRE = MethodType.methodType(
            void.class,
            int.class,
            Object.class,
            Object.class,
            Object.class,
            Object.class,
            Object.class,
            Object.class,
            Object[].class);

    private static final MethodHandle DISPATCH;
    private static final MethodHandle OFF = MethodHandles.empty(FIRE);
    private static final MethodHandle FALSE = MethodHandles.constant(boolean.class, false);
    private static final MethodHandle TRUE = MethodHandles.constant(boolean.class, true);

    private static final VarHandle ARMED;

    static {
        try {
            ARMED = MethodHandles.lookup().findVarHandle(TracepointState.class, "armed", boolean.class);
            DISPATCH = MethodHandles.lookup().findVirtual(TracepointState.class, "dispatch", FIRE);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Serial numbers of tracepoint states, never reused and never 0 (see {@link #serial}). */
    private static final java.util.concurrent.atomic.AtomicLong SERIALS = new java.util.concurrent.atomic.AtomicLong();

    private final TraceEventType type;
    /**
     * This state's number among all states this JVM made: a ring-buffer entry keeps it next to its raw values,
     * so the writer compares numbers in the entry's own memory instead of reading the slot's site reference
     * (RingBuffer.Page).
     */
    final long serial = SERIALS.incrementAndGet();

    private final TraceRcu rcu;
    private final MutableCallSite fireSite = new MutableCallSite(OFF);
    private final MutableCallSite enabledSite = new MutableCallSite(FALSE);
    private final TracepointSite site;
    private final LongAdder probeErrors = new LongAdder();
    private volatile ProbeList probes = NONE;
    private volatile boolean removed;
    /**
     * Mirrors "fireSite targets the dispatcher". Read plainly by the call site's first check (a stale
     * {@code false} can only delay enabling inside a loop that is already running; a stale {@code true}
     * reaches the call site, which is always current), written with release semantics.
     */
    boolean armed;

    /** Told (outside this object's lock) after the switch flipped; it re-reads {@link #armed()}. */
    private final java.util.function.Consumer<TracepointState> armChanged;

    TracepointState(TraceEventType type, TraceRcu rcu) {
        this(type, rcu, s -> {});
    }

    TracepointState(TraceEventType type, TraceRcu rcu, java.util.function.Consumer<TracepointState> armChanged) {
        this.type = type;
        this.rcu = rcu;
        this.armChanged = armChanged;
        this.site = new TracepointSite(
                type.definition().system(),
                type.definition().name(),
                fireSite.dynamicInvoker(),
                enabledSite.dynamicInvoker(),
                this);
    }

    TraceEventType type() {
        return type;
    }

    TracepointSite site() {
        return site;
    }

    boolean removed() {
        return removed;
    }

    /** Whether probes are attached, for code that is not a call site (tests, tracefs). */
    boolean armed() {
        return (boolean) ARMED.getOpaque(this);
    }

    long probeErrors() {
        return probeErrors.sum();
    }

    int probeCount() {
        return probes.all.length;
    }

    /**
     * The attached probes, immutable once published, with whether a call of them needs the RCU read-side
     * section (any probe that is not a {@link BufferProbe}).
     */
    static final class ProbeList {
        final TraceProbe[] all;
        final boolean needsSection;
        /** The only probe when it is a recorder (the common case: an event enabled in one trace array), else null. */
        final BufferProbe single;

        ProbeList(TraceProbe[] all) {
            this.all = all;
            this.single = all.length == 1 && all[0] instanceof BufferProbe b ? b : null;
            boolean any = false;
            for (TraceProbe p : all) {
                any |= !(p instanceof BufferProbe);
            }
            this.needsSection = any;
        }
    }

    /**
     * The slow path behind an enabled call site: __DO_TRACE's probe loop. The event comes by value: its field
     * count, the first {@link #ARGS} fields (null past {@code n}) and, for an event with more, the caller's array
     * ({@code all}, else null). Recorders take it so ({@link BufferProbe#record}); for any other probe the array
     * is made once per event, when the first such probe runs.
     */
    void dispatch(int n, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5, Object[] all) {
        ProbeList list = probes;
        BufferProbe single = list.single;
        if (single != null) {
            try {
                single.record(site, n, a0, a1, a2, a3, a4, a5, all); // outside any section: see BufferProbe
            } catch (RuntimeException | Error e) {
                probeFailed();
            }
            return;
        }
        TraceRcu.Reader r = null;
        if (list.needsSection) {
            r = rcu.enter();
            list = probes; // read again inside the section: the list the grace period covers
        } // else recorders only: no grace period waits for them (BufferProbe)
        try {
            Object[] fields = all;
            for (TraceProbe p : list.all) {
                try {
                    if (p instanceof BufferProbe b) {
                        b.record(site, n, a0, a1, a2, a3, a4, a5, all);
                    } else {
                        if (fields == null) {
                            fields = pack(n, a0, a1, a2, a3, a4, a5, null);
                        }
                        p.probe(site, fields);
                    }
                } catch (RuntimeException | Error e) {
                    probeFailed(); // a probe must never break the traced code
                }
            }
        } finally {
            if (r != null) {
                rcu.exit(r);
            }
        }
    }

    /** Field {@code j} of {@code fields}, or null past its end. */
    static Object arg(Object[] fields, int j) {
        return j < fields.length ? fields[j] : null;
    }

    /** The event's fields as one array: {@code all} when the caller passed it, else a new one of {@code n}. */
    static Object[] pack(int n, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5, Object[] all) {
        if (all != null) {
            return all;
        }
        Object[] f = new Object[n];
        Object[] first = {a0, a1, a2, a3, a4, a5};
        System.arraycopy(first, 0, f, 0, n);
        return f;
    }

    private void probeFailed() {
        probeErrors.increment();
    }

    void addProbe(TraceProbe probe) {
        if (attach(probe)) {
            armChanged.accept(this);
        }
    }

    /** Returns true if this was the first probe (the switch went on). */
    private synchronized boolean attach(TraceProbe probe) {
        if (removed) {
            throw new KernelException(Errno.ENODEV, site + " is going away");
        }
        TraceProbe[] old = probes.all;
        for (TraceProbe p : old) {
            if (p == probe) {
                throw new KernelException(Errno.EEXIST, "probe already attached to " + site);
            }
        }
        TraceProbe[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = probe;
        probes = new ProbeList(next);
        if (old.length == 0) {
            retarget(DISPATCH.bindTo(this));
            return true;
        }
        return false;
    }

    /**
     * Unpublishes the probe; the caller must wait for a grace period before it may assume the probe
     * is no longer running. Returns false if the probe was not attached.
     */
    boolean removeProbe(TraceProbe probe) {
        int left = detach(probe);
        if (left == 0) {
            armChanged.accept(this);
        }
        return left >= 0;
    }

    /** Returns the probes left, or -1 if the probe was not attached. */
    private synchronized int detach(TraceProbe probe) {
        TraceProbe[] old = probes.all;
        int at = -1;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == probe) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return -1;
        }
        TraceProbe[] next = new TraceProbe[old.length - 1];
        System.arraycopy(old, 0, next, 0, at);
        System.arraycopy(old, at + 1, next, at, old.length - at - 1);
        probes = next.length == 0 ? NONE : new ProbeList(next);
        if (next.length == 0) {
            retarget(OFF);
        }
        return next.length;
    }

    /** Marks the tracepoint gone and drops every probe; the caller then waits a grace period. */
    void removeAll() {
        boolean flipped;
        synchronized (this) {
            removed = true;
            flipped = probes.all.length > 0;
            if (flipped) {
                probes = NONE;
                retarget(OFF);
            }
        }
        if (flipped) {
            armChanged.accept(this);
        }
    }

    private void retarget(MethodHandle fire) {
        ARMED.setRelease(this, fire != OFF);
        fireSite.setTarget(fire);
        enabledSite.setTarget(fire != OFF ? TRUE : FALSE);
        MutableCallSite.syncAll(new MutableCallSite[] {fireSite, enabledSite});
    }
}
