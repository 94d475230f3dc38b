package org.kmodel.trace.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceProbe;
import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointManager;
import org.kmodel.trace.TracepointRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The tracepoint core (kernel/tracepoint.c) with the event list of kernel/trace/trace_events.c:
 * defines tracepoints, hands them to callers, attaches and detaches probes with a grace period.
 * The kernel's own tracepoints are defined at activation ({@link KernelTracepoints}), as vmlinux's
 * are present from boot. Definitions and probes live in this component, so swapping it for another
 * implementation starts with an empty event list (as a reboot would).
 */
@Component(service = {TracepointManager.class, TracepointRegistry.class})
public class TracepointCore implements TracepointManager {
    /** Event ids start after the ftrace built-in entry types, as the kernel's dynamic ids do. */
    private static final int FIRST_EVENT_ID = 21;

    private final Map<String, TracepointState> tracepoints = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(FIRST_EVENT_ID);
    private final TraceRcu rcu = new TraceRcu();

    /** Listeners told about every event added or removed (the tracefs directory). */
    private final List<EventListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told when an event appears or goes away, after the change; never under the core's lock. */
    interface EventListener {
        void added(TraceEventType type);

        void removed(TraceEventType type);
    }

    /** Told after a tracepoint's switch flips (first probe attached, last one detached). */
    private final List<java.util.function.Consumer<TracepointState>> armListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    void addArmListener(java.util.function.Consumer<TracepointState> l) {
        armListeners.add(l);
    }

    void removeArmListener(java.util.function.Consumer<TracepointState> l) {
        armListeners.remove(l);
    }

    private void armChanged(TracepointState s) {
        armListeners.forEach(l -> l.accept(s));
    }

    /** Adds a listener and replays the events that exist now. */
    void addListener(EventListener l) {
        listeners.add(l);
        for (TracepointState s : states()) {
            l.added(s.type());
        }
    }

    void removeListener(EventListener l) {
        listeners.remove(l);
    }

    /** Event-only definitions (the pre-3.15 orphans): listed, enable-able, never fired. */
    private final Map<String, TracepointState> orphans = new ConcurrentHashMap<>();

    /** The running release: which kernel events exist from boot. Null in unit tests: the default. */
    @Reference
    volatile ReleaseProfile profile;

    @Activate
    public void activate() {
        ReleaseProfile p = profile;
        for (TraceEventDefinition d : KernelTracepoints.all(p == null ? KernelRelease.DEFAULT : p.release())) {
            define(d);
        }
    }

    @Deactivate
    void deactivate() {
        for (TracepointState s : tracepoints.values()) {
            s.removeAll();
        }
        rcu.synchronize();
    }

    @Override
    public Tracepoint find(String system, String name) {
        TracepointState s = tracepoints.get(key(system, name));
        return s == null ? null : s.site();
    }

    @Override
    public Tracepoint define(TraceEventDefinition definition) {
        TracepointState s;
        synchronized (this) {
            String key = definition.fullName();
            TracepointState existing = existing(key, definition);
            if (existing != null) {
                if (orphans.containsKey(key)) {
                    throw new KernelException(Errno.EEXIST, key + " exists without a tracepoint");
                }
                return existing.site();
            }
            s = new TracepointState(new TraceEventType(definition, nextId.get()), rcu, this::armChanged);
            nextId.incrementAndGet();
            tracepoints.put(key, s);
        }
        listeners.forEach(l -> l.added(s.type()));
        return s.site();
    }

    @Override
    public void defineEventOnly(TraceEventDefinition definition) {
        TracepointState s;
        synchronized (this) {
            String key = definition.fullName();
            if (existing(key, definition) != null) {
                throw new KernelException(Errno.EEXIST, key);
            }
            s = new TracepointState(new TraceEventType(definition, nextId.get()), rcu, this::armChanged);
            nextId.incrementAndGet();
            orphans.put(key, s);
        }
        listeners.forEach(l -> l.added(s.type()));
    }

    private TracepointState existing(String key, TraceEventDefinition definition) {
        TracepointState s = state(key);
        if (s != null && !s.type().sameShape(definition)) {
            throw new KernelException(Errno.EEXIST, key + " is already defined with other fields");
        }
        return s;
    }

    @Override
    public boolean live(String system, String name) {
        return tracepoints.containsKey(key(system, name));
    }

    @Override
    public void remove(String system, String name) {
        TracepointState s;
        synchronized (this) {
            String key = key(system, name);
            s = tracepoints.remove(key);
            if (s == null) {
                s = orphans.remove(key);
            }
            if (s == null) {
                throw new KernelException(Errno.ENOENT, "no tracepoint " + key);
            }
            s.removeAll();
        }
        rcu.synchronize(); // outside the lock: a running probe may look tracepoints up
        TraceEventType gone = s.type();
        listeners.forEach(l -> l.removed(gone));
    }

    @Override
    public List<TraceEventDefinition> definitions() {
        return states().stream().map(s -> s.type().definition()).toList();
    }

    /** Live and event-only states, sorted by system then name. */
    List<TracepointState> states() {
        return java.util.stream.Stream.concat(tracepoints.values().stream(), orphans.values().stream())
                .sorted(Comparator.comparing(
                                (TracepointState s) -> s.type().definition().system())
                        .thenComparing(s -> s.type().definition().name()))
                .toList();
    }

    TracepointState state(String key) {
        TracepointState s = tracepoints.get(key);
        return s != null ? s : orphans.get(key);
    }

    /** The event's id and format file, for tracefs; null if absent. */
    TraceEventType type(String system, String name) {
        TracepointState s = state(key(system, name));
        return s == null ? null : s.type();
    }

    @Override
    public void probeRegister(String system, String name, TraceProbe probe) {
        TracepointState s = state(key(system, name));
        if (s == null) {
            throw new KernelException(Errno.ENOENT, "no tracepoint " + key(system, name));
        }
        s.addProbe(probe);
    }

    @Override
    public void probeUnregister(String system, String name, TraceProbe probe) {
        TracepointState s = state(key(system, name));
        if (s == null || !s.removeProbe(probe)) {
            throw new KernelException(Errno.ENOENT, "probe not attached to " + key(system, name));
        }
        rcu.synchronize();
    }

    /** tracepoint_synchronize_unregister(). */
    void synchronize() {
        rcu.synchronize();
    }

    static String key(String system, String name) {
        return system + ":" + name;
    }
}
