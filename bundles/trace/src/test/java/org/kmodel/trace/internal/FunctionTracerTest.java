package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.livepatch.FunctionTracing;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;
import org.kmodel.trace.Tracepoint;

/**
 * Issue 10: the function tracers. set_ftrace_filter's semantics (globs, {@code !}, {@code >} empties first and
 * {@code >>} adds, no match is EINVAL and changes nothing), current_tracer, and the output formats of
 * trace_fn_trace and the graph tracer (kernel/trace/trace_output.c, trace_functions_graph.c).
 */
class FunctionTracerTest {
    /** A fake ftrace core: what the tracer attached, and calls driven by the test. */
    static final class FakeFtrace implements FunctionTracing {
        Callback callback;
        Set<String> functions;
        int attaches;

        @Override
        public List<String> availableFilterFunctions() {
            return List.of(
                    "cmdline_proc_show",
                    "ext4_collapse_range",
                    "ext4_fallocate",
                    "kmodel_oot_fn [kmodel_oot]",
                    "shmem_fallocate",
                    "vfs_fallocate",
                    "xfs_collapse_file_space",
                    "xfs_file_fallocate");
        }

        @Override
        public void trace(Callback cb, Set<String> fns) {
            callback = cb;
            functions = fns;
            attaches++;
        }
    }

    private FakeFtrace ftrace;
    private TraceArrayImpl array;
    private FunctionTracer tracer;
    private TraceFsFiles files;
    private Tracepoint tp;

    @BeforeEach
    void setUp() {
        TracepointCore core = new TracepointCore();
        core.activate();
        array = new TraceArrayImpl(core, 64, true);
        ftrace = new FakeFtrace();
        tracer = new FunctionTracer(ftrace, array, null);
        files = new TraceFsFiles(array, org.kmodel.kernel.KernelRelease.V6_18);
        tp = core.define(new TraceEventDefinition(
                "kmodel_sample", "sample_event", List.of(new TraceField("int", "count")), null, "kmodel_sample"));
    }

    private void overwrite(String content) {
        tracer.truncateFilter();
        tracer.writeFilter(content);
    }

    @Test
    void filterGlobsNegationTruncateAndAppend() {
        assertEquals(FtraceFilter.ALL, tracer.readFilter());
        overwrite("ext4_*\n");
        assertEquals("ext4_collapse_range\next4_fallocate\n", tracer.readFilter());
        tracer.writeFilter("vfs_fallocate"); // >> appends
        assertEquals("ext4_collapse_range\next4_fallocate\nvfs_fallocate\n", tracer.readFilter());
        tracer.writeFilter("!ext4_collapse_range");
        assertEquals("ext4_fallocate\nvfs_fallocate\n", tracer.readFilter());
        overwrite("*_collapse_* kmodel_oot_fn");
        assertEquals(
                "ext4_collapse_range\nkmodel_oot_fn [kmodel_oot]\nxfs_collapse_file_space\n",
                tracer.readFilter(),
                "a module's function matches by its name");
        overwrite("?fs_fallocate");
        assertEquals("vfs_fallocate\n", tracer.readFilter());
        overwrite("[sx]*_fallocate");
        assertEquals("shmem_fallocate\nxfs_file_fallocate\n", tracer.readFilter());
        KernelException e = assertThrows(KernelException.class, () -> overwrite("vfs_fallocate nosuch_fn"));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("shmem_fallocate\nxfs_file_fallocate\n", tracer.readFilter(), "a bad glob changes nothing");
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> tracer.writeFilter("f:mod:ext4"))
                        .errno());
        overwrite("\n");
        assertEquals(FtraceFilter.ALL, tracer.readFilter(), "echo > set_ftrace_filter empties it: all functions");
    }

    @Test
    void currentTracerAttachesWithTheFilterAndNopDetaches() {
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> tracer.setTracer("blk"))
                        .errno());
        assertEquals("nop", array.currentTracer());
        assertEquals(0, ftrace.attaches, "nop traces nothing");
        overwrite("vfs_fallocate");
        assertNull(ftrace.callback, "a filter alone attaches nothing");
        tracer.setTracer("function\n");
        assertSame(tracer, ftrace.callback);
        assertEquals(Set.of("vfs_fallocate"), ftrace.functions);
        overwrite("");
        assertNull(ftrace.functions, "an empty filter: every function");
        tracer.setTracer("nop");
        assertNull(ftrace.callback);
    }

    @Test
    void functionTracerOutputIsTraceFnTrace() {
        tracer.setTracer("function");
        tracer.entry("vfs_fallocate", "ksys_fallocate", 0);
        tracer.entry("ext4_fallocate", "vfs_fallocate", 1);
        tracer.exit("ext4_fallocate", 1, 1000);
        String trace = files.trace();
        assertTrue(trace.startsWith("# tracer: function\n#\n# entries-in-buffer/entries-written: 2/2   #P:1\n"), trace);
        assertTrue(trace.contains("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"), trace);
        Pattern line = Pattern.compile(" +\\S+-\\d+ +\\[\\d{3}\\] \\.{5} +\\d+\\.\\d{6}: (\\S+ <-\\S+)");
        List<String> fns = trace.lines()
                .filter(l -> !l.startsWith("#"))
                .map(l -> {
                    var m = line.matcher(l);
                    assertTrue(m.matches(), l);
                    return m.group(1);
                })
                .toList();
        assertEquals(List.of("vfs_fallocate <-ksys_fallocate", "ext4_fallocate <-vfs_fallocate"), fns);
        tracer.setTracer("function_graph");
        assertEquals(0, array.stats().entries(), "a new tracer starts with an empty buffer");
    }

    @Test
    void graphOutputNestsFoldsLeavesAndShowsDurations() {
        tracer.setTracer("function_graph");
        tracer.entry("vfs_fallocate", "ksys_fallocate", 0);
        tracer.entry("ext4_fallocate", "vfs_fallocate", 1);
        tracer.entry("ext4_collapse_range", "ext4_fallocate", 2);
        tracer.exit("ext4_collapse_range", 2, 2_345);
        tp.fire(new Object[] {7}); // not enabled: not recorded
        array.setEventEnabled("kmodel_sample", "sample_event", true);
        tp.fire(new Object[] {7});
        tracer.exit("ext4_fallocate", 1, 12_345);
        tracer.exit("vfs_fallocate", 0, 1_234_567_890L);
        String cpu = " " + array.snapshot().get(0).cpu() + ") ";
        assertEquals(
                GraphOutput.HEADER
                        + cpu + "              |  vfs_fallocate() {\n"
                        + cpu + "              |    ext4_fallocate() {\n"
                        + cpu + "  2.345 us    |      ext4_collapse_range();\n"
                        + cpu + "              |      /* sample_event: count=7 */\n"
                        + cpu + "+ 12.345 us   |    }\n"
                        + cpu + "$ 1234567 us  |  }\n",
                files.trace());
    }

    @Test
    void durationColumnAsPrintGraphDuration() {
        assertEquals("  0.375 us    |  ", GraphOutput.duration(375));
        assertEquals("+ 12.345 us   |  ", GraphOutput.duration(12_345));
        assertEquals("! 123.456 us  |  ", GraphOutput.duration(123_456));
        assertEquals("# 1234.567 us |  ", GraphOutput.duration(1_234_567));
        assertEquals("* 12345.67 us |  ", GraphOutput.duration(12_345_678));
        assertEquals("@ 123456.7 us |  ", GraphOutput.duration(123_456_789));
        assertEquals("$ 1234567 us  |  ", GraphOutput.duration(1_234_567_890L));
    }
}
