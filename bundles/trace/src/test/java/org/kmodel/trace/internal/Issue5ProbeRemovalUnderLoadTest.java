package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;
import org.kmodel.trace.TraceProbe;
import org.kmodel.trace.Tracepoint;

/**
 * Issue 5 acceptance: probes fired from several threads while they are detached; once
 * probeUnregister returns, the probe is never called again (tracepoint_synchronize_unregister).
 */
class Issue5ProbeRemovalUnderLoadTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 100;

    @Test
    void noProbeCallAfterUnregisterReturns() throws Exception {
        run(false);
    }

    /**
     * With a trace array's recorder attached as well: the recorder runs outside the read-side section
     * ({@link BufferProbe}), the probe from outside keeps its guarantee.
     */
    @Test
    void noProbeCallAfterUnregisterReturnsWithARecorderAttached() throws Exception {
        run(true);
    }

    private void run(boolean withRecorder) throws Exception {
        TracepointCore core = new TracepointCore();
        core.activate();
        Tracepoint tp = core.define(TraceEventDefinition.of("load", "ev", new TraceField("int", "i")));
        AtomicLong recorded = new AtomicLong();
        if (withRecorder) {
            BufferProbe recorder = new BufferProbe() {
                @Override
                void record(
                        TracepointSite site,
                        int n,
                        Object a0,
                        Object a1,
                        Object a2,
                        Object a3,
                        Object a4,
                        Object a5,
                        Object[] all) {
                    recorded.incrementAndGet();
                }
            };
            core.probeRegister("load", "ev", recorder);
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> firing = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th = new Thread(
                    () -> {
                        int i = 0;
                        while (!stop.get()) {
                            tp.fire(i++);
                        }
                    },
                    "firer-" + t);
            th.start();
            firing.add(th);
        }
        long lateCalls = 0;
        long totalCalls = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                AtomicBoolean detached = new AtomicBoolean();
                AtomicLong calls = new AtomicLong();
                AtomicLong late = new AtomicLong();
                TraceProbe probe = (t, f) -> {
                    if (detached.get()) {
                        late.incrementAndGet(); // a call that started after unregister returned
                    }
                    calls.incrementAndGet();
                    Thread.onSpinWait(); // widen the window in which a call is in flight
                };
                core.probeRegister("load", "ev", probe);
                while (calls.get() < 20) {
                    Thread.onSpinWait();
                }
                core.probeUnregister("load", "ev", probe);
                detached.set(true);
                long atDetach = calls.get();
                Thread.sleep(0, 200_000);
                lateCalls += late.get() + (calls.get() - atDetach);
                totalCalls += calls.get();
            }
        } finally {
            stop.set(true);
            for (Thread th : firing) {
                th.join();
            }
        }
        assertEquals(0, lateCalls, "probe calls after probeUnregister returned");
        assertTrue(totalCalls >= 20L * ROUNDS, "the probes were really exercised: " + totalCalls);
        assertEquals(withRecorder, recorded.get() > 0, "the recorder ran: " + recorded.get());
    }
}
