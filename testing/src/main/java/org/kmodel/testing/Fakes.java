package org.kmodel.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleState;

/**
 * Hand-made stand-ins for the kernel core's services and the loader's module objects, for unit tests that run
 * without those bundles. Each is the smallest thing that satisfies the API contract; none has behaviour a
 * test could mistake for the real component's.
 */
public final class Fakes {
    private Fakes() {}

    /** A release profile fixed to {@code release}. */
    public static ReleaseProfile release(KernelRelease release) {
        return new Release(release);
    }

    /** A module as the loader hands it to notifiers: COMING, with the given own taints and tracepoints. */
    public record Module(String name, long taints, List<String> tracepoints) implements KernelModule {
        /** A module with the own taints given as letters (e.g. "OE"). */
        public static Module of(String name, String letters, String... tracepoints) {
            long mask = 0;
            for (char c : letters.toCharArray()) {
                mask |= TaintFlag.ofLetter(c).mask();
            }
            return new Module(name, mask, List.of(tracepoints));
        }

        @Override
        public ModuleState state() {
            return ModuleState.COMING;
        }

        @Override
        public Map<String, String> modinfo() {
            return Map.of();
        }

        @Override
        public long bundleId() {
            return 42;
        }
    }

    private record Release(KernelRelease release) implements ReleaseProfile {
        @Override
        public String unameVersion() {
            return "#1 SMP kmodel";
        }

        @Override
        public String procVersion() {
            return "Linux version " + release.unameRelease();
        }
    }

    /** A kernel log that keeps every record, with timestamps 0. */
    public static final class Log implements KernelLog {
        private final List<Record> records = new ArrayList<>();

        @Override
        public synchronized void printk(Level level, String text) {
            records.add(new Record(records.size(), level, 0, text));
        }

        @Override
        public synchronized List<Record> records() {
            return List.copyOf(records);
        }

        @Override
        public long nanosSinceBoot() {
            return 0;
        }

        /** The texts of every record, in order. */
        public List<String> lines() {
            return records().stream().map(r -> r.text).toList();
        }
    }
}
