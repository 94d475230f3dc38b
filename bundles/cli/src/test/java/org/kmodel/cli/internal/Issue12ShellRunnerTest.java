package org.kmodel.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the runner survives whatever a command throws (Errors included), prints one line per failed command
 * with no stack trace unless --debug, and refuses input that would exhaust the parser (5,000 '[' used to
 * overflow Gogo's parser stack, print 1,024 lines of trace and leave the JVM running). Runs the real Gogo
 * runtime.
 */
class Issue12ShellRunnerTest {
    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final CommandProcessorImpl processor;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Commands that fail the hard way. */
    public static final class Bad {
        public String ok() {
            return "fine";
        }

        @SuppressWarnings("InfiniteRecursion") // the point: a command that overflows the stack
        public int overflow(int n) {
            return overflow(n + 1) + 1;
        }

        public String oom() {
            throw new OutOfMemoryError("Java heap space");
        }

        public String npe() {
            Object o = null;
            return o.toString();
        }

        public String linkage() {
            throw new NoClassDefFoundError("org/example/Gone");
        }
    }

    Issue12ShellRunnerTest() {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        for (String f : new String[] {"ok", "overflow", "oom", "npe", "linkage"}) {
            processor.addCommand("t", new Bad(), f);
        }
    }

    @AfterEach
    void stop() {
        threadIO.stop();
    }

    private int run(boolean debug, String... commands) {
        Runner r = new Runner(
                processor,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                debug,
                "t:*");
        return r.run(List.of(commands));
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void everyThrowableIsOneLineAndTheNextCommandStillRuns() {
        int failed = run(false, "overflow 0", "oom", "npe", "linkage", "ok");
        assertEquals(4, failed);
        assertEquals(
                List.of(
                        "overflow: stack exhausted: Cannot allocate memory",
                        "oom: out of memory: Cannot allocate memory",
                        "npe: internal error: NullPointerException: Cannot invoke \"Object.toString()\" because \"o\" is null: "
                                + "Input/output error",
                        "linkage: internal error: NoClassDefFoundError: org/example/Gone: Input/output error"),
                errLines());
        assertEquals("fine\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void fiveThousandBracketsAreRefusedBeforeTheParserRecurses() {
        String brackets = "[".repeat(5000);
        assertEquals(2, run(false, brackets, "{".repeat(65) + "}".repeat(65), "ok"));
        List<String> lines = errLines();
        assertEquals(2, lines.size());
        assertTrue(
                lines.get(0).endsWith(": brackets nested deeper than 64 levels: Argument list too long"), lines.get(0));
        assertEquals(
                "[".repeat(40) + "...: brackets nested deeper than 64 levels: Argument list too long", lines.get(0));
        assertTrue(lines.get(1).endsWith("Argument list too long"));
        assertEquals("fine\n", out.toString(StandardCharsets.UTF_8));
        // brackets inside quotes are text, not nesting
        assertEquals(0, Limits.depth("'" + brackets + "'"));
        assertEquals(64, Limits.depth("(".repeat(64)));
    }

    @Test
    void anOverlongCommandLineIsE2big() {
        assertEquals(1, run(false, "ok " + "x".repeat(Limits.MAX_COMMAND)));
        assertEquals(List.of("ok: command line longer than 131072 characters: Argument list too long"), errLines());
    }

    @Test
    void stackTracesOnlyWithDebug() {
        run(false, "npe");
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("\tat "));
        err.reset();
        run(true, "npe");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("\tat "));
    }
}
