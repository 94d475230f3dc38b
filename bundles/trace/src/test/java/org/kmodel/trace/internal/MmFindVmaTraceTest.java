package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.mm.FindVmaProbe;
import org.kmodel.trace.TraceRecord;

class MmFindVmaTraceTest {
    @Test
    void hookIsRegisteredOnlyWhileAFindVmaEventIsEnabledAndFeedsIt() {
        TracepointCore core = new TracepointCore();
        core.activate();
        TraceArrayImpl array = new TraceArrayImpl(core, 64, true);
        List<FindVmaProbe> registered = new ArrayList<>();
        MmFindVmaTrace trace = new MmFindVmaTrace(core, p -> {
            registered.add(p);
            return () -> registered.remove(p);
        });
        assertFalse(trace.hooked());
        array.setEventEnabled("kmodel", "find_vma_hit", true);
        assertEquals(1, registered.size());
        array.setEventEnabled("kmodel", "find_vma_miss", true);
        assertEquals(1, registered.size(), "one hook for both events");

        registered.get(0).findVma(42, null, 0x7f0000001000L, null, false, "vmacache");
        array.setEventEnabled("kmodel", "find_vma_miss", false);
        registered.get(0).findVma(42, null, 0x400000L, null, false, "vmacache"); // miss now disabled
        assertTrue(trace.hooked());
        array.setEventEnabled("kmodel", "*", false);
        assertFalse(trace.hooked());
        assertTrue(registered.isEmpty());

        List<TraceRecord> recs = array.snapshot();
        assertEquals(1, recs.size());
        assertEquals("find_vma_miss", recs.get(0).event());
        assertEquals(
                "pid=42 addr=0x7f0000001000 vma=0x0-0x0 cache=vmacache",
                recs.get(0).text());
        trace.deactivate();
        array.setEventEnabled("kmodel", "find_vma_hit", true);
        assertTrue(registered.isEmpty(), "no hook after deactivation");
    }
}
