package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmodel.trace.TraceBufferStats;
import org.kmodel.trace.TraceRecord;

/**
 * The trace file as each release prints it (kernel/trace/trace.c print_func_help_header_irq,
 * kernel/trace/trace_output.c trace_print_context), and the task names the model writes in it.
 */
class TraceOutputLayoutTest {
    private static final TraceBufferStats STATS = new TraceBufferStats(2, 2, 0, 0, 4);

    private static TraceRecord rec() {
        return new TraceRecord(33_793_362_000L, 0, 75, "sh", "kprobes", "myprobe", java.util.List.of(), "x=1");
    }

    @Test
    void release618HasFiveFlagColumnsAndASevenWidePid() {
        String t = TraceOutput.trace(STATS, java.util.List.of(rec()), true);
        assertTrue(
                t.contains("#                              ||| / _-=> migrate-disable\n"
                        + "#                              |||| /     delay\n"
                        + "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
                        + "#              | |         |   |||||     |         |\n"),
                t);
        assertTrue(t.endsWith("              sh-75      [000] .....    33.793362: myprobe: x=1\n"), t);
    }

    @Test
    void release3xHasFourFlagColumnsAndAFiveWidePid() {
        String t = TraceOutput.trace(STATS, java.util.List.of(rec()), false);
        assertTrue(t.contains("#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION\n"), t);
        assertTrue(t.endsWith("              sh-75    [000] ....    33.793362: myprobe: x=1\n"), t);
    }

    @Test
    void taskNamesAreTheModelsCommNotJvmThreadNames() {
        assertEquals("trace-cmd", RingBuffer.comm("pipe-trace-cmd show", 0));
        assertEquals("insmod", RingBuffer.comm("pipe-insmod /x/kmodel_oot.ko", 1));
        assertEquals("fire", RingBuffer.comm("pipe-kmodel_oot:fire hello", 0), "a scoped command is its own name");
        assertEquals("kworker/1:0", RingBuffer.comm("FelixStartLevel", 1));
        assertEquals("a_very_long_com", RingBuffer.comm("pipe-a_very_long_command_name x", 0), "TASK_COMM_LEN - 1");
    }
}
