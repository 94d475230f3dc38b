package org.kmodel.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kmodel.kernel.KernelLog;

/** OSGi log messages become printk records: placeholders, trailing exceptions, levels. */
class KernelLoggerFactoryTest {
    @Test
    void formatsPlaceholdersAndFindsTheException() {
        IllegalStateException boom = new IllegalStateException("outer", new RuntimeException("inner cause"));
        assertArrayEquals(new Object[] {"a 1 b 2", null}, KernelLoggerFactory.format(new Object[] {"a {} b {}", 1, 2}));
        assertArrayEquals(
                new Object[] {"failed x", boom},
                KernelLoggerFactory.format(new Object[] {"failed {}", new Object[] {"x", boom}}));
        assertArrayEquals(new Object[] {"plain", boom}, KernelLoggerFactory.format(new Object[] {"plain", boom}));
        assertEquals("inner cause", KernelLoggerFactory.rootMessage(boom));
    }

    @Test
    void loggersWriteToTheRingBuffer() {
        Printk printk = new Printk(16);
        KernelLoggerFactory f = new KernelLoggerFactory(printk, false);
        org.osgi.service.log.Logger logger = f.getLogger("scr");
        logger.warn("component {} unsatisfied", "x");
        logger.info("kept: the ring buffer records every level, only the console filters");
        logger.debug("dropped without --debug");
        assertEquals(2, printk.records().size());
        assertEquals(KernelLog.Level.INFO, printk.records().get(1).level);
        KernelLog.Record r = printk.records().get(0);
        assertEquals(KernelLog.Level.WARNING, r.level);
        assertEquals("scr: component x unsatisfied", r.text);
        assertEquals("scr", logger.getName());
    }
}
