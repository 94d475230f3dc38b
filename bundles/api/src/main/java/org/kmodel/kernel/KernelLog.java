package org.kmodel.kernel;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The kernel log ring buffer (kernel/printk/printk.c): {@code printk} with a level, read by {@code dmesg}.
 * Timestamps count from boot (the activation of the kernel core). The buffer keeps the newest records and
 * drops the oldest when it is full, as the real ring buffer does.
 */
@ProviderType
public interface KernelLog {
    /** {@code KERN_EMERG} .. {@code KERN_DEBUG}; {@link #number()} is the level in {@code <n>} prefixes. */
    enum Level {
        EMERG,
        ALERT,
        CRIT,
        ERR,
        WARNING,
        NOTICE,
        INFO,
        DEBUG;

        public int number() {
            return ordinal();
        }

        /** The name dmesg prints with {@code -x} / {@code --level}: emerg, alert, crit, err, warn, notice, info, debug. */
        public String dmesgName() {
            return this == WARNING ? "warn" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One record of the ring buffer. */
    final class Record {
        public final long sequence;
        public final Level level;
        /** Nanoseconds since boot. */
        public final long nanos;

        public final String text;

        public Record(long sequence, Level level, long nanos, String text) {
            this.sequence = sequence;
            this.level = level;
            this.nanos = nanos;
            this.text = text;
        }

        /** The line as {@code dmesg} prints it: {@code [    1.234567] text}. */
        public String dmesgLine() {
            long micros = nanos / 1000;
            return String.format(java.util.Locale.ROOT, "[%5d.%06d] %s", micros / 1_000_000, micros % 1_000_000, text);
        }

        @Override
        public String toString() {
            return dmesgLine();
        }
    }

    /** Appends one record ({@code printk(KERN_<level> "text")}); a trailing newline is dropped. */
    void printk(Level level, String text);

    default void info(String text) {
        printk(Level.INFO, text);
    }

    default void warn(String text) {
        printk(Level.WARNING, text);
    }

    default void err(String text) {
        printk(Level.ERR, text);
    }

    /** The records still in the buffer, oldest first. */
    List<Record> records();

    /** Nanoseconds since boot, the clock of the timestamps. */
    long nanosSinceBoot();
}
