package org.kmodel.shell.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFs;

/** Issue 10: {@code trace-cmd start -p TRACER -l FUNC} drives set_ftrace_filter (replaced, O_TRUNC) and current_tracer. */
class TraceCmdPluginTest {
    /** tracefs with the function tracers: records truncates and writes in order. */
    static final class Tracefs implements ProcFs {
        final List<String> ops = new ArrayList<>();
        String tracers = "function_graph function nop\n";

        @Override
        public String read(String path) {
            if (path.endsWith("/available_tracers") && tracers != null) {
                return tracers;
            }
            throw new KernelException(Errno.ENOENT, path);
        }

        @Override
        public void write(String path, String content) {
            ops.add(("write " + path.substring(path.lastIndexOf('/') + 1) + " " + content).strip());
        }

        @Override
        public void truncate(String path) {
            ops.add("truncate " + path.substring(path.lastIndexOf('/') + 1));
        }

        @Override
        public List<String> paths() {
            return List.of();
        }
    }

    private final TraceCmdTest.FakeArray array = new TraceCmdTest.FakeArray();
    private final Tracefs tracefs = new Tracefs();
    private final TraceCmd cmd = new TraceCmd(array, tracefs);

    @Test
    void pluginAndFilterThenReset() {
        array.on = false;
        cmd._main(null, "start", "-p", "function", "-l", "vfs_fallocate", "-l", "ext4_*");
        assertEquals(
                List.of(
                        "truncate set_ftrace_filter",
                        "write set_ftrace_filter vfs_fallocate ext4_*",
                        "write current_tracer function"),
                tracefs.ops);
        assertTrue(array.on, "tracing on");
        tracefs.ops.clear();
        cmd._main(null, "reset");
        assertEquals(
                List.of("truncate set_ftrace_filter", "write set_ftrace_filter", "write current_tracer nop"),
                tracefs.ops);
    }

    @Test
    void unknownPluginOrNoFunctionTracersIsEinvalAndChangesNothing() {
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd._main(null, "start", "-p", "blk"))
                        .errno());
        tracefs.tracers = null;
        KernelException e = assertThrows(KernelException.class, () -> cmd._main(null, "start", "-p", "function"));
        assertEquals("trace-cmd start: plugin 'function' does not exist: Invalid argument", e.getMessage());
        assertEquals(List.of(), tracefs.ops);
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd._main(null, "start", "-l"))
                        .errno());
    }
}
