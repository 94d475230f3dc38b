package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleState;
import org.kmodel.testing.Fakes;
import org.kmodel.trace.TraceEventInfo;
import org.kmodel.trace.TraceRecord;
import org.kmodel.trace.Tracepoint;

/**
 * The tracepoint-vs-taint rule of docs/tracing.md (kernel/tracepoint.c trace_module_has_bad_taint) for every release profile, with fake modules.
 * Expected values are the spec's table written out, not derived from the code under test.
 */
class ModuleTracepointsTest {
    private static final String DECL = "kmodel_sample:sample_event(int count, String msg)";
    private static final String BAD_TAINT = "sample: module has bad taint, not creating trace events";

    private TracepointCore core;
    private TraceArrayImpl array;
    private Fakes.Log log;
    private ModuleTracepoints notifier;

    private void boot(KernelRelease release) {
        core = new TracepointCore();
        core.activate();
        array = new TraceArrayImpl(core, 64, true);
        log = new Fakes.Log();
        notifier = new ModuleTracepoints(core, array, Fakes.release(release), log);
    }

    /** release, module taint letters, kept?, event files exist?, bad-taint line logged? */
    @ParameterizedTest(name = "{0} taints \"{1}\": kept={2} events={3} logged={4}")
    @CsvSource({
        // 3.7-3.13: O and C allowed; refused modules still get dead event files, no message
        "3.13, '',  true,  true,  false",
        "3.13, O,   true,  true,  false",
        "3.13, C,   true,  true,  false",
        "3.13, OC,  true,  true,  false",
        "3.13, F,   false, true,  false",
        "3.13, OF,  false, true,  false",
        "3.13, P,   false, true,  false",
        "3.13, PO,  false, true,  false",
        // 3.14 as released (commit 45ab2813d40d, v3.14-rc6): same taints, but a refusal is logged, no files
        "3.14, '',  true,  true,  false",
        "3.14, O,   true,  true,  false",
        "3.14, C,   true,  true,  false",
        "3.14, OC,  true,  true,  false",
        "3.14, F,   false, false, true",
        "3.14, OF,  false, false, true",
        "3.14, P,   false, false, true",
        "3.14, PO,  false, false, true",
        // 3.15: + E; a refusal creates no events and is logged
        "3.15, '',  true,  true,  false",
        "3.15, O,   true,  true,  false",
        "3.15, C,   true,  true,  false",
        "3.15, E,   true,  true,  false",
        "3.15, OE,  true,  true,  false",
        "3.15, OCE, true,  true,  false",
        "3.15, F,   false, false, true",
        "3.15, OEF, false, false, true",
        "3.15, P,   false, false, true",
        "3.15, POE, false, false, true",
        // 6.18: + N (6.0) and + K (about 6.3)
        "6.18, OE,  true,  true,  false",
        "6.18, N,   true,  true,  false",
        "6.18, K,   true,  true,  false",
        "6.18, OEKN, true, true,  false",
        "6.18, F,   false, false, true",
        "6.18, P,   false, false, true",
        "6.18, X,   false, false, true",
        "6.18, OEX, false, false, true",
    })
    void tracepointsFollowTheTaintRule(String release, String letters, boolean kept, boolean events, boolean logged) {
        boot(KernelRelease.parse(release));
        notifier.moduleStateChanged(Fakes.Module.of("sample", letters, DECL), ModuleState.COMING);

        assertEquals(kept, core.find("kmodel_sample", "sample_event") != null, "tracepoint found");
        boolean listed = array.events().stream().anyMatch(e -> e.fullName().equals("kmodel_sample:sample_event"));
        assertEquals(events, listed, "event in available_events");
        assertEquals(logged, log.lines().contains(BAD_TAINT), "log: " + log.lines());
        if (logged) {
            assertEquals(
                    KernelLog.Level.ERR,
                    log.records().stream()
                            .filter(r -> r.text.equals(BAD_TAINT))
                            .findFirst()
                            .orElseThrow()
                            .level);
        }
    }

    @Test
    void moduleWithoutTracepointsIsNeverLoggedAbout() {
        boot(KernelRelease.V3_15);
        notifier.moduleStateChanged(Fakes.Module.of("sample", "F"), ModuleState.COMING);
        assertTrue(log.lines().isEmpty(), log.lines().toString());
    }

    @Test
    void enabledModuleEventIsRecordedAndGoingRemovesEventsAndClearsBuffer() throws Exception {
        boot(KernelRelease.V3_15);
        array.setEventEnabled("module", "*", true);
        Fakes.Module m = Fakes.Module.of("sample", "OE", DECL);
        notifier.moduleStateChanged(m, ModuleState.COMING);
        array.setEventEnabled("kmodel_sample", "sample_event", true);
        Tracepoint tp = core.find("kmodel_sample", "sample_event");
        assertTrue(tp.enabled());
        tp.fire(1, "hello");
        List<TraceRecord> recs = array.snapshot();
        assertEquals(
                List.of("module_load", "sample_event"),
                recs.stream().map(TraceRecord::event).toList());
        assertEquals("sample OE", recs.get(0).text());
        assertEquals("count=1 msg=hello", recs.get(1).text());

        notifier.moduleStateChanged(m, ModuleState.GOING);
        assertNull(core.find("kmodel_sample", "sample_event"));
        assertFalse(tp.enabled());
        tp.fire(2, "after unload"); // a stale call site does nothing
        List<TraceRecord> after = array.consume(10, 0, TimeUnit.MILLISECONDS);
        assertEquals(
                List.of("module_free"),
                after.stream().map(TraceRecord::event).toList(),
                "buffer cleared at GOING, then module_free recorded");
        assertEquals("sample", after.get(0).text());
    }

    @Test
    void reloadedModuleStartsWithItsEventDisabled() {
        boot(KernelRelease.V3_15);
        Fakes.Module m = Fakes.Module.of("sample", "OE", DECL);
        notifier.moduleStateChanged(m, ModuleState.COMING);
        array.setEventEnabled("kmodel_sample", "sample_event", true);
        notifier.moduleStateChanged(m, ModuleState.GOING);
        notifier.moduleStateChanged(m, ModuleState.COMING);
        TraceEventInfo info = array.events().stream()
                .filter(e -> e.fullName().equals("kmodel_sample:sample_event"))
                .findFirst()
                .orElseThrow();
        assertFalse(info.enabled());
        assertFalse(core.find("kmodel_sample", "sample_event").enabled());
    }

    @Test
    void release313RefusedEventCanBeEnabledButNeverFires() {
        boot(KernelRelease.V3_13);
        notifier.moduleStateChanged(Fakes.Module.of("sample", "OF", DECL), ModuleState.COMING);
        array.setEventEnabled("kmodel_sample", "sample_event", true); // succeeds, as in 3.13
        TraceEventInfo info = array.events().stream()
                .filter(e -> e.fullName().equals("kmodel_sample:sample_event"))
                .findFirst()
                .orElseThrow();
        assertTrue(info.enabled());
        assertFalse(info.live());
        assertNull(core.find("kmodel_sample", "sample_event"), "the module's code finds no tracepoint to fire");
        assertTrue(array.snapshot().stream().noneMatch(r -> r.event().equals("sample_event")));
    }

    @Test
    void anEventAnotherModuleOwnsIsNotTakenOver() {
        boot(KernelRelease.V3_15);
        Fakes.Module a = Fakes.Module.of("a", "O", DECL);
        Fakes.Module b = Fakes.Module.of("b", "O", DECL);
        notifier.moduleStateChanged(a, ModuleState.COMING);
        notifier.moduleStateChanged(b, ModuleState.COMING);
        assertTrue(log.lines().contains("b: trace event kmodel_sample:sample_event already exists, not created"));
        notifier.moduleStateChanged(b, ModuleState.GOING);
        assertNotNull(core.find("kmodel_sample", "sample_event"), "b's unload leaves a's event alone");
        notifier.moduleStateChanged(a, ModuleState.GOING);
        assertNull(core.find("kmodel_sample", "sample_event"));
    }

    @Test
    void moduleLoadShowsTaintLetters() {
        boot(KernelRelease.V3_15);
        array.setEventEnabled("module", "module_load", true);
        notifier.moduleStateChanged(Fakes.Module.of("a", "POFCE"), ModuleState.COMING);
        notifier.moduleStateChanged(Fakes.Module.of("b", ""), ModuleState.COMING);
        assertEquals(
                List.of("a POFCE", "b "),
                array.snapshot().stream().map(TraceRecord::text).toList());
        assertNotNull(core.find("module", "module_get"));
    }
}
