package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleState;

/** Hand-made stand-ins for the loader's module objects and the kernel core services. */
final class Fakes {
    private Fakes() {
    }

    record Module(String name, long taints, List<String> tracepoints) implements KernelModule {
        static Module of(String name, String letters, String... tracepoints) {
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

    static final class Profile implements ReleaseProfile {
        private final KernelRelease release;

        Profile(KernelRelease release) {
            this.release = release;
        }

        @Override
        public KernelRelease release() {
            return release;
        }

        @Override
        public String unameVersion() {
            return "#1 SMP kmodel";
        }

        @Override
        public String procVersion() {
            return "Linux version " + release.unameRelease();
        }
    }

    static final class Log implements KernelLog {
        final List<Record> records = new ArrayList<>();

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

        List<String> lines() {
            return records().stream().map(r -> r.text).toList();
        }
    }
}
