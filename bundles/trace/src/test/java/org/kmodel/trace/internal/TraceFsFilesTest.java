package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;
import org.kmodel.trace.Tracepoint;

class TraceFsFilesTest {
    private TracepointCore core;
    private TraceArrayImpl array;
    private TraceFsFiles fs;
    private Tracepoint tp;

    @BeforeEach
    void setUp() {
        core = new TracepointCore();
        core.activate();
        array = new TraceArrayImpl(core, 64, true);
        fs = new TraceFsFiles(array);
        tp = core.define(new TraceEventDefinition(
                "kmodel_sample",
                "sample_event",
                List.of(new TraceField("int", "count"), new TraceField("String", "msg")),
                null,
                "kmodel_sample"));
    }

    @Test
    void availableEventsListsEverySystemEventSorted() {
        List<String> lines = List.of(fs.availableEvents().split("\n"));
        assertTrue(lines.contains("kmodel_sample:sample_event"));
        assertTrue(lines.contains("module:module_load"));
        assertEquals(
                lines.stream()
                        .sorted((a, b) -> {
                            String[] x = a.split(":");
                            String[] y = b.split(":");
                            int c = x[0].compareTo(y[0]);
                            return c != 0 ? c : x[1].compareTo(y[1]);
                        })
                        .toList(),
                lines);
    }

    @Test
    void setEventEnablesAndTruncates() {
        fs.writeSetEvent("sample_event\n");
        assertEquals("kmodel_sample:sample_event\n", fs.setEvent());
        fs.writeSetEvent("module:*");
        assertEquals(
                "module:module_free\nmodule:module_get\nmodule:module_load\nmodule:module_put\n",
                fs.setEvent(),
                "a plain write replaces the set, as > does");
        fs.writeSetEvent("!module:module_get !module:module_put");
        assertEquals("module:module_free\nmodule:module_load\n", fs.setEvent(), "! entries alone only disable");
        fs.writeSetEvent("kmodel_sample"); // a bare system name
        assertEquals("kmodel_sample:sample_event\n", fs.setEvent());
        fs.writeSetEvent("");
        assertEquals("", fs.setEvent(), "echo > set_event disables all");
    }

    @Test
    void unknownEventInSetEventIsEinvalAndChangesNothing() {
        fs.writeSetEvent("kmodel_sample:sample_event");
        KernelException e = assertThrows(KernelException.class, () -> fs.writeSetEvent("module:* nosuch:event"));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("kmodel_sample:sample_event\n", fs.setEvent());
    }

    @Test
    void enableFilesAcceptOnlyZeroAndOne() {
        assertEquals("0\n", fs.enable("kmodel_sample", "sample_event"));
        fs.writeEnable("kmodel_sample", "sample_event", "1\n");
        assertEquals("1\n", fs.enable("kmodel_sample", "sample_event"));
        assertEquals("1\n", fs.enable("kmodel_sample", "*"));
        assertEquals("X\n", fs.enable("*", "*"));
        for (String bad : List.of("2", "on", "", "-1")) {
            assertEquals(
                    Errno.EINVAL,
                    assertThrows(KernelException.class, () -> fs.writeEnable("kmodel_sample", "sample_event", bad))
                            .errno(),
                    bad);
        }
        assertEquals("1\n", fs.enable("kmodel_sample", "sample_event"));
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> fs.enable("nosuch", "*"))
                        .errno());
        fs.writeEnable("*", "*", "0");
        assertEquals("0\n", fs.enable("*", "*"));
    }

    @Test
    void traceShowsHeaderAndFtraceLinesAndTracingOnGatesRecording() {
        fs.writeEnable("kmodel_sample", "sample_event", "1");
        tp.fire(1, "hello");
        fs.writeTracingOn("0");
        assertEquals("0\n", fs.tracingOn());
        tp.fire(2, "not recorded");
        fs.writeTracingOn("1");
        String trace = fs.trace();
        assertTrue(trace.startsWith("# tracer: nop\n#\n# entries-in-buffer/entries-written: 1/1   #P:1\n#\n"), trace);
        assertTrue(trace.contains("#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION\n"), trace);
        String last = trace.substring(trace.lastIndexOf("|\n") + 2);
        String comm = RingBuffer.comm(Thread.currentThread().getName(), 0); // not a shell command: kworker/0:0
        Pattern line = Pattern.compile(" *" + Pattern.quote(comm) + "-\\d+ +\\[000\\] \\.\\.\\.\\. +\\d+\\.\\d{6}: "
                + "sample_event: count=1 msg=hello\n");
        assertTrue(line.matcher(last).matches(), "[" + last + "]");
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> fs.writeTracingOn("yes"))
                        .errno());
        fs.clearTrace();
        assertTrue(fs.trace().contains("entries-in-buffer/entries-written: 0/0"));
    }

    @Test
    void tracePipeConsumesAndBlocksUntilAnEventArrives() throws Exception {
        fs.writeEnable("kmodel_sample", "sample_event", "1");
        tp.fire(1, "a");
        assertTrue(fs.tracePipe().endsWith("sample_event: count=1 msg=a\n"));
        assertTrue(fs.trace().contains("entries-in-buffer/entries-written: 0/1"), "consumed, not in trace any more");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(fs::tracePipe);
        Thread.sleep(100);
        assertTrue(!reader.isDone(), "trace_pipe waits for data");
        tp.fire(2, "b");
        assertTrue(reader.get(5, TimeUnit.SECONDS).endsWith("sample_event: count=2 msg=b\n"));
    }

    @Test
    void overwriteOptionSwitchesBetweenOverwritingAndDroppingAndKeepsTheBuffer() {
        fs.writeEnable("kmodel_sample", "sample_event", "1");
        assertEquals("1\n", fs.overwrite());
        for (int i = 0; i < 70; i++) {
            tp.fire(i, "x"); // 64 entries per buffer
        }
        assertTrue(fs.trace().contains("count=69 msg=x"), "overwrite keeps the newest");
        fs.writeOverwrite("0");
        assertEquals("0\n", fs.overwrite());
        tp.fire(100, "dropped");
        String t = fs.trace();
        assertTrue(t.contains("count=69 msg=x") && !t.contains("count=100"), "stop mode drops new events");
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> fs.writeOverwrite("2"))
                        .errno());
    }

    @Test
    void tracePipeReturnsEmptyWhenInterrupted() throws Exception {
        String[] out = new String[1];
        Thread t = new Thread(() -> out[0] = fs.tracePipe());
        t.start();
        Thread.sleep(50);
        t.interrupt();
        t.join(5000);
        assertEquals("", out[0]);
    }

    @Test
    void enablingAnEventWhoseTracepointIsGoingAwayIsEnodev() {
        TracepointState s = ((TracepointSite) tp).state();
        s.removeAll(); // GOING has started, the core has not dropped the event yet
        assertEquals(
                Errno.ENODEV,
                assertThrows(KernelException.class, () -> fs.writeEnable("kmodel_sample", "sample_event", "1"))
                        .errno());
    }
}
