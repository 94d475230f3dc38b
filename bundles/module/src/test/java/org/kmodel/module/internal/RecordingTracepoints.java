package org.kmodel.module.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointRegistry;

/**
 * A fake registry whose tracepoints record every {@code fire}, enabled or not (so a test can assert that a
 * disabled call site fires nothing), and count {@code find} look-ups.
 */
final class RecordingTracepoints implements TracepointRegistry {
    final Map<String, Recorder> points = new HashMap<>();
    int finds;

    RecordingTracepoints(String... fullNames) {
        for (String n : fullNames) {
            String[] p = n.split(":");
            points.put(n, new Recorder(p[0], p[1]));
        }
    }

    @Override
    public Tracepoint find(String system, String name) {
        finds++;
        return points.get(system + ":" + name);
    }

    Recorder get(String fullName) {
        return points.get(fullName);
    }

    void enableAll(boolean on) {
        points.values().forEach(r -> r.enabled = on);
    }

    static final class Recorder implements Tracepoint {
        private final String system;
        private final String name;
        volatile boolean enabled;
        final List<List<Object>> fired = new ArrayList<>();

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

        @Override
        public void fire(Object... fields) {
            fired.add(List.of(fields));
        }
    }
}
