package org.kmodel.shell.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/** trace-cmd record's arguments and report's layout. */
class TraceRecordTest {
    @Test
    void reportDropsTheHeaderAndTheFlagsColumn() {
        String trace = """
                # tracer: nop
                #
                #           TASK-PID     CPU#  ||||   TIMESTAMP  FUNCTION
                          <task>-28    [000] ....     1.154955: sample_event: count=1 msg=hello
                """;
        assertEquals(
                "cpus=1\n          <task>-28    [000]     1.154955: sample_event: count=1 msg=hello\n",
                TraceRecord.report(trace));
    }

    @Test
    void recordArguments() {
        TraceRecord.Args a = TraceRecord.Args.parse(List.of("-e", "module", "-o", "m.dat", "insmod", "/x.ko"));
        assertEquals(List.of("module"), a.events());
        assertEquals("m.dat", a.output());
        assertEquals(List.of("insmod", "/x.ko"), a.command());
        assertEquals("trace.dat", TraceRecord.Args.parse(List.of("-e", "x")).output());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> TraceRecord.Args.parse(List.of()))
                        .errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> TraceRecord.Args.parse(List.of("-e")))
                        .errno());
        assertEquals(
                Errno.ENODEV,
                assertThrows(KernelException.class, () -> TraceRecord.modelPath(null, "trace.dat"))
                        .errno());
    }
}
