package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;
import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointManager;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.ServiceReference;

/**
 * Issue 5: the trace feature in a running kernel: tracefs files under both mount points, trace-cmd,
 * per-event directories that come and go with their event, and bad writes failing with tracefs's errno.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class TraceIT extends TracefsTestSupport {
    @Configuration
    public Option[] config() {
        return kernel(feature("trace"));
    }

    private TracepointManager manager() {
        ServiceReference<TracepointManager> ref = context.getServiceReference(TracepointManager.class);
        assertNotNull("TracepointManager service", ref);
        return context.getService(ref);
    }

    private Tracepoint ping() {
        return manager()
                .define(new TraceEventDefinition(
                        "kmodel_it",
                        "ping",
                        List.of(new TraceField("int", "n"), new TraceField("String", "who")),
                        "n=%d who=%s",
                        null));
    }

    @Test
    public void tracefsListsKernelEventsUnderBothMountPoints() throws Exception {
        String events = read("/sys/kernel/tracing/available_events");
        for (String e : new String[] {
            "module:module_load",
            "module:module_free",
            "module:module_get",
            "module:module_put",
            "kmodel:find_vma_hit",
            "kmodel:find_vma_miss",
            "ext4:ext4_fallocate_enter",
            "ext4:ext4_fallocate_exit",
            "xfs:xfs_collapse_file_space",
            "kmodel:vfs_fallocate_enter"
        }) {
            assertTrue(e + " in " + events, events.contains(e));
        }
        assertEquals(events, read("/sys/kernel/debug/tracing/available_events"));
        assertEquals(events, gogo("trace-cmd list -e"));
        String format = read("/sys/kernel/tracing/events/module/module_load/format");
        assertTrue(format, format.startsWith("name: module_load\nID: "));
        assertTrue(format, format.contains("print fmt: \"%s %s\", __get_str(name), __get_str(taints)"));
        assertEquals("1", read("/sys/kernel/tracing/tracing_on"));
    }

    @Test
    public void enablingRecordsEventsAndTraceShowsThemLikeFtrace() throws Exception {
        Tracepoint tp = ping();
        tp.fire(0, "disabled"); // nothing attached yet
        assertFalse(tp.enabled());
        write("/sys/kernel/tracing/events/kmodel_it/ping/enable", "1");
        assertTrue(tp.enabled());
        assertEquals("1", read("/sys/kernel/debug/tracing/events/kmodel_it/ping/enable"));
        assertEquals("kmodel_it:ping", read("/sys/kernel/tracing/set_event"));
        tp.fire(1, "it");
        String trace = read("/sys/kernel/tracing/trace");
        assertTrue(trace, trace.startsWith("# tracer: nop\n#\n# entries-in-buffer/entries-written: 1/1"));
        assertTrue(trace, trace.matches("(?s).*\\[\\d{3}\\] \\.\\.\\.\\. +\\d+\\.\\d{6}: ping: n=1 who=it"));
        assertEquals(trace, gogo("trace-cmd show"));

        write("/sys/kernel/tracing/tracing_on", "0");
        tp.fire(2, "off");
        assertFalse(gogo("trace-cmd show").contains("n=2"));
        gogo("trace-cmd clear");
        assertTrue(gogo("trace-cmd show").contains("entries-in-buffer/entries-written: 0/0"));

        gogo("trace-cmd start -e kmodel_it");
        tp.fire(3, "started");
        assertTrue(read("/sys/kernel/tracing/trace_pipe").endsWith("ping: n=3 who=started"));
        assertFalse("trace_pipe consumed it", gogo("trace-cmd show").contains("n=3"));
        gogo("trace-cmd stop");
        assertEquals("0", read("/sys/kernel/tracing/tracing_on"));
    }

    @Test
    public void eventDirectoryComesAndGoesWithTheEvent() throws Exception {
        ping();
        assertTrue(read("/sys/kernel/tracing/events/kmodel_it/ping/format").contains("field:int n;"));
        assertEquals("0", read("/sys/kernel/tracing/events/kmodel_it/enable"));
        manager().remove("kmodel_it", "ping");
        assertNull(manager().find("kmodel_it", "ping"));
        assertTrue(readFails("/sys/kernel/tracing/events/kmodel_it/ping/format").endsWith("No such file or directory"));
        assertFalse(read("/sys/kernel/tracing/available_events").contains("kmodel_it:ping"));
    }

    @Test
    public void badWritesFailWithTracefsErrnoAndChangeNothing() throws Exception {
        ping();
        write("/sys/kernel/tracing/set_event", "kmodel_it:ping");
        assertTrue(writeFails("/sys/kernel/tracing/set_event", "nosuch:event").endsWith("Invalid argument"));
        assertTrue(writeFails("/sys/kernel/tracing/events/kmodel_it/ping/enable", "2")
                .endsWith("Invalid argument"));
        assertTrue(writeFails("/sys/kernel/tracing/tracing_on", "yes").endsWith("Invalid argument"));
        assertTrue(writeFails("/sys/kernel/tracing/available_events", "x").endsWith("Permission denied"));
        assertTrue(gogoFails("trace-cmd start -e nosuch").contains("No events enabled with nosuch"));
        assertEquals("kmodel_it:ping", read("/sys/kernel/tracing/set_event"));
        assertEquals("1", read("/sys/kernel/tracing/tracing_on"));
    }
}
