package org.kmodel.shell.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFs;
import org.kmodel.trace.TraceArray;
import org.kmodel.trace.TraceBufferStats;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceEventInfo;
import org.kmodel.trace.TraceRecord;

class TraceCmdTest {
    /** A trace array with three events and observable switches. */
    static final class FakeArray implements TraceArray {
        final Map<String, Boolean> enabled = new LinkedHashMap<>();
        boolean on = true;
        int clears;

        FakeArray() {
            enabled.put("kmodel_sample:sample_event", false);
            enabled.put("module:module_free", false);
            enabled.put("module:module_load", false);
        }

        @Override
        public List<TraceEventInfo> events() {
            List<TraceEventInfo> out = new ArrayList<>();
            int id = 1;
            for (Map.Entry<String, Boolean> e : enabled.entrySet()) {
                String[] sn = e.getKey().split(":");
                out.add(new TraceEventInfo(TraceEventDefinition.of(sn[0], sn[1]), id++, e.getValue(), true));
            }
            return out;
        }

        @Override
        public void setEventEnabled(String system, String event, boolean en) {
            boolean any = false;
            for (String k : enabled.keySet()) {
                String[] sn = k.split(":");
                if ((system.equals("*") || system.equals(sn[0])) && (event.equals("*") || event.equals(sn[1]))) {
                    enabled.put(k, en);
                    any = true;
                }
            }
            if (!any) {
                throw new KernelException(Errno.EINVAL, "no match");
            }
        }

        @Override
        public boolean tracingOn() {
            return on;
        }

        @Override
        public void setTracingOn(boolean o) {
            on = o;
        }

        @Override
        public boolean overwrite() {
            return true;
        }

        @Override
        public void setOverwrite(boolean overwrite) {}

        @Override
        public List<TraceRecord> snapshot() {
            return List.of();
        }

        @Override
        public List<TraceRecord> consume(int max, long timeout, TimeUnit unit) {
            return List.of();
        }

        @Override
        public void clear() {
            clears++;
        }

        @Override
        public TraceBufferStats stats() {
            return new TraceBufferStats(0, 0, 0, 0, 0);
        }
    }

    static class FakeProc implements ProcFs {
        final List<String> reads = new ArrayList<>();

        @Override
        public String read(String path) {
            reads.add(path);
            return "# tracer: nop\n";
        }

        @Override
        public void write(String path, String content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> paths() {
            return List.of();
        }
    }

    private final FakeArray array = new FakeArray();
    private final FakeProc proc = new FakeProc();
    private final TraceCmd cmd = new TraceCmd(array, proc);

    @Test
    void gogoPassesTheCommandNameFirst() {
        assertEquals(cmd._main(null, "list", "-e"), cmd._main(null, "trace-cmd", "list", "-e"));
        assertEquals(cmd._main(null, "help"), cmd._main(null, "trace:trace-cmd", "help"));
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd._main(null, "trace-cmd"))
                        .errno());
    }

    @Test
    void listEventsLikeTraceCmdListE() {
        EventList all = (EventList) cmd._main(null, "list", "-e");
        assertEquals(List.of("kmodel_sample:sample_event", "module:module_free", "module:module_load"), all.events());
        // the one layout test of trace-cmd list: one event a line, as the converter prints it
        assertEquals(
                "kmodel_sample:sample_event\nmodule:module_free\nmodule:module_load",
                new org.kmodel.shell.internal.ShellConverter().format(all, 0, null));
        assertEquals(List.of("module:module_load"), ((EventList) cmd._main(null, "list", "-e", "load")).events());
    }

    @Test
    void startDisablesOthersClearsAndEnablesTheChosenEvents() {
        array.enabled.put("module:module_free", true);
        array.on = false;
        cmd._main(null, "start", "-e", "sample_event", "-e", "module:*load");
        assertEquals(
                Map.of("kmodel_sample:sample_event", true, "module:module_free", false, "module:module_load", true),
                array.enabled);
        assertTrue(array.on);
        assertEquals(1, array.clears);
        cmd._main(null, "start", "-e", "module");
        assertEquals(
                Map.of("kmodel_sample:sample_event", false, "module:module_free", true, "module:module_load", true),
                array.enabled);
    }

    @Test
    void unknownEventFailsAndChangesNothing() {
        array.enabled.put("module:module_free", true);
        KernelException e =
                assertThrows(KernelException.class, () -> cmd._main(null, "start", "-e", "module", "-e", "nosuch"));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("No events enabled with nosuch"), e.getMessage());
        assertTrue(array.enabled.get("module:module_free"));
        assertEquals(0, array.clears);
    }

    @Test
    void stopShowClearReset() {
        cmd._main(null, "stop");
        assertFalse(array.on);
        assertEquals("# tracer: nop", cmd._main(null, "show"));
        assertEquals(List.of("/sys/kernel/tracing/trace"), proc.reads);
        cmd._main(null, "clear");
        assertEquals(1, array.clears);
        array.enabled.put("module:module_free", true);
        cmd._main(null, "reset");
        assertTrue(array.on);
        assertFalse(array.enabled.containsValue(true));
    }

    @Test
    void showPipeStreamsTracePipeUntilInterrupted() {
        ProcFs pipe = new FakeProc() {
            int reads;

            @Override
            public String read(String path) {
                assertEquals("/sys/kernel/tracing/trace_pipe", path);
                if (++reads == 2) {
                    Thread.currentThread().interrupt(); // Ctrl-C while the second read waits
                }
                return "line" + reads + "\n";
            }
        };
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(out, true));
        try {
            new TraceCmd(array, pipe)._main(null, "show", "-p");
        } finally {
            System.setOut(old);
            Thread.interrupted();
        }
        assertEquals("line1\nline2\n", out.toString());
    }

    @Test
    void helpAndBadUsage() {
        assertTrue(((String) cmd._main(null, "help")).startsWith("usage: trace-cmd COMMAND"));
        for (String[] bad : List.of(
                new String[] {},
                new String[] {"frobnicate"},
                new String[] {"list"},
                new String[] {"start"},
                new String[] {"start", "-e"},
                new String[] {"stop", "x"},
                new String[] {"show", "-x"})) {
            assertEquals(
                    Errno.EINVAL,
                    assertThrows(KernelException.class, () -> cmd._main(null, bad))
                            .errno(),
                    String.join(" ", bad));
        }
    }

    /** Issue 12 item 9: an invalid filter regex is one EINVAL line, not Java's "Unclosed group near index 1". */
    @Test
    void issue12Item9ListWithABadRegexIsEinval() {
        KernelException e = assertThrows(KernelException.class, () -> cmd._main(null, "list", "-e", "("));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("list: invalid regular expression '('", e.what());
    }
}
