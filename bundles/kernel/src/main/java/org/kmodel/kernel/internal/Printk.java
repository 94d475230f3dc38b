package org.kmodel.kernel.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.KernelLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The printk ring buffer (kernel/printk/printk.c {@code log_buf}, {@code log_store}). Boot is the moment this
 * component activates, the first thing of the kernel core; every timestamp counts from it.
 */
@Component(service = KernelLog.class, immediate = true, configurationPid = "org.kmodel.kernel.printk")
@Designate(ocd = Printk.Config.class)
public class Printk implements KernelLog {
    @ObjectClassDefinition(name = "kmodel printk ring buffer")
    public @interface Config {
        @AttributeDefinition(description = "Records kept (log_buf_len); the oldest are dropped first")
        int log_buf_len() default 16384;
    }

    private final long bootNanos = System.nanoTime();
    private final ArrayDeque<Record> ring = new ArrayDeque<>();
    private final int capacity;
    private long sequence;

    @Activate
    public Printk(Config config) {
        this.capacity = Math.max(16, config.log_buf_len());
    }

    /** For unit tests. */
    Printk(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void printk(Level level, String text) {
        String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        long now = nanosSinceBoot();
        // One lock orders sequence numbers and timestamps, as logbuf_lock does in 3.x.
        synchronized (ring) {
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(new Record(sequence++, level, now, t));
        }
    }

    @Override
    public List<Record> records() {
        synchronized (ring) {
            return new ArrayList<>(ring);
        }
    }

    @Override
    public long nanosSinceBoot() {
        return System.nanoTime() - bootNanos;
    }
}
