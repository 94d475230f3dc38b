package org.kmodel.benchmarks;

import java.util.List;
import org.kmodel.kernel.KernelLog;

/** A kernel log that drops every line: a benchmark measures the code that logs, not a log that grows. */
final class QuietLog implements KernelLog {
    static final KernelLog INSTANCE = new QuietLog();

    private QuietLog() {}

    @Override
    public void printk(Level level, String text) {}

    @Override
    public List<Record> records() {
        return List.of();
    }

    @Override
    public long nanosSinceBoot() {
        return 0;
    }
}
