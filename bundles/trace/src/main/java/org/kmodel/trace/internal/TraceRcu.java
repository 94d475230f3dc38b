package org.kmodel.trace.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The grace period behind {@code tracepoint_synchronize_unregister()} (kernel/tracepoint.c, which
 * waits for RCU-sched readers): probe calls are read-side critical sections, and
 * {@link #synchronize()} returns only after every section that was running when it started has ended.
 *
 * <p>Each thread owns a {@link Reader} whose {@code seq} is odd while the thread is inside a section.
 * The reader writes {@code seq} (volatile) before it reads the probe array (volatile); the updater
 * publishes the new probe array (volatile) before it reads the readers' {@code seq}. Both are in the
 * synchronization order, so a reader whose odd {@code seq} the updater did not see entered after the
 * new array was published and cannot call a removed probe. For a reader seen odd the updater waits
 * until its {@code seq} moves on. Sections nest per thread (a probe firing another tracepoint) and
 * count only once.
 *
 * <p>A trace array's recorder does not enter a section: no grace period waits for it, in the kernel either
 * ({@link BufferProbe}), so an event going only into the ring buffer does not pay the entry's fence.
 */
final class TraceRcu {
    private static final VarHandle SEQ;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(Reader.class, "seq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final class Reader {
        final WeakReference<Thread> owner;
        final long ownerId;
        volatile long seq;
        int nesting;

        Reader(Thread owner) {
            this.owner = new WeakReference<>(owner);
            this.ownerId = owner.getId();
        }

        boolean insideSection() {
            return (seq & 1) != 0;
        }
    }

    private final Set<Reader> readers = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Reader> current = ThreadLocal.withInitial(this::register);

    private Reader register() {
        Reader r = new Reader(Thread.currentThread());
        readers.add(r);
        return r;
    }

    /** The reader the last section used (racy; see {@link #reader()}). */
    private Reader last;

    /**
     * The calling thread's reader: the last one used if it is this thread's (a thread id compare; the
     * Reader's identity fields are final, so a racy read is safe), else the ThreadLocal.
     */
    private Reader reader() {
        Reader r = last;
        if (r == null || r.ownerId != Thread.currentThread().getId()) {
            r = current.get();
            last = r;
        }
        return r;
    }

    /** rcu_read_lock_sched(): enters a read-side section. */
    Reader enter() {
        Reader r = reader();
        if (r.nesting++ == 0) {
            // Must stay a volatile store (a StoreLoad barrier on x86: lock addl), not setRelease/opaque.
            // This is Dekker's pattern: reader "store seq; load probes", updater "store probes; load seq".
            // Only if both pairs are ordered (both sides in the synchronization order) can the updater
            // conclude from an even seq that the reader will load the new array. A release or opaque store
            // may sit in the store buffer while the probe array is loaded (x86 allows StoreLoad
            // reordering), so the updater could see the old even seq and return from probeUnregister while
            // this reader calls the removed probe: exactly what Issue5ProbeRemovalUnderLoadTest forbids.
            // The kernel avoids the reader barrier with RCU-sched (a preempt_disable read side, a
            // context-switch-based grace period); Java has no asymmetric (membarrier) fence, so the barrier
            // stays here, once per outermost section. The exit store below only needs release: the probe
            // calls must happen-before the updater's read of the even seq, and nothing later must stay
            // inside the section.
            r.seq = r.seq + 1;
        }
        return r;
    }

    /** rcu_read_unlock_sched(). */
    void exit(Reader r) {
        if (--r.nesting == 0) {
            SEQ.setRelease(r, r.seq + 1); // the probe calls happen-before the updater sees this
        }
    }

    /**
     * synchronize_sched(): waits until every read-side section running now has ended. The calling
     * thread's own section (a probe unregistering itself) is not waited for: it could never end.
     */
    void synchronize() {
        Reader self = reader();
        for (Reader r : readers) {
            if (r == self) {
                continue;
            }
            Thread owner = r.owner.get();
            if (owner == null && !r.insideSection()) {
                readers.remove(r); // a dead thread's reader can never enter again
                continue;
            }
            long seen = r.seq;
            if ((seen & 1) != 0) {
                awaitChange(r, seen);
            }
        }
    }

    private static void awaitChange(Reader r, long seen) {
        int spins = 0;
        while (r.seq == seen) {
            Thread owner = r.owner.get();
            if (owner == null || !owner.isAlive()) {
                return; // the thread died inside a section (Thread.stop): nothing left to wait for
            }
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
            }
        }
    }

    /** Readers known (for tests and statistics). */
    int readerCount() {
        return readers.size();
    }
}
