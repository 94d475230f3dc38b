package org.kmodel.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointRegistry;

/**
 * A fake {@link TracepointRegistry} for unit tests of code that fires tracepoints. It knows the tracepoints it
 * was created with (a {@code find} of any other one returns null, as the registry does for an unknown event),
 * records every {@code fire}, enabled or not, so a test can assert that a disabled call site fires nothing,
 * and counts {@code find} look-ups, so a test can assert that a subsystem looks its events up once per bind
 * and never per call.
 */
public final class RecordingTracepoints implements TracepointRegistry {
    private final Map<String, Recorder> points = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private int finds;

    /** A registry with the tracepoints {@code "system:name"}, all disabled. */
    public RecordingTracepoints(String... fullNames) {
        for (String n : fullNames) {
            String[] p = n.split(":", 2);
            if (p.length != 2) {
                throw new IllegalArgumentException("not system:name: " + n);
            }
            points.put(n, new Recorder(p[0], p[1]));
        }
    }

    @Override
    public synchronized Tracepoint find(String system, String name) {
        finds++;
        return points.get(system + ":" + name);
    }

    /** The tracepoint {@code "system:name"}, or null. */
    public Recorder get(String fullName) {
        return points.get(fullName);
    }

    /** How many {@code find} calls were made. */
    public synchronized int finds() {
        return finds;
    }

    /** Enables or disables every tracepoint. */
    public void enableAll(boolean on) {
        points.values().forEach(r -> r.enabled = on);
    }

    /**
     * Every fire of every tracepoint in order, as {@code "system:name [field, ...]"}, with
     * {@code " WHILE DISABLED"} appended to a fire of a disabled tracepoint.
     */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    private synchronized void logged(String line) {
        log.add(line);
    }

    /** One recorded tracepoint. */
    public final class Recorder implements Tracepoint {
        private final String system;
        private final String name;
        private volatile boolean enabled;
        private final List<List<Object>> fired = new ArrayList<>();

        Recorder(String system, String name) {
            this.system = system;
            this.name = name;
        }

        @Override
        public String system() {
            return system;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean enabled() {
            return enabled;
        }

        /** Enables or disables this tracepoint. */
        public void enable(boolean on) {
            enabled = on;
        }

        @Override
        public void fire(Object... fields) {
            synchronized (RecordingTracepoints.this) {
                fired.add(Arrays.asList(fields.clone()));
            }
            logged(system + ":" + name + " " + Arrays.toString(fields) + (enabled ? "" : " WHILE DISABLED"));
        }

        /** The fields of every fire so far, in order. */
        public List<List<Object>> fired() {
            synchronized (RecordingTracepoints.this) {
                return List.copyOf(fired);
            }
        }
    }
}
