package org.kmodel.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "inputs are bounded": the interactive console (JLine) keeps the bounds of -c and -f. A line longer than
 * {@value Limits#MAX_COMMAND} characters and 5,000 '[' (which JLine's parser used to answer with a continuation
 * prompt per missing bracket) each end in one E2BIG line, and the next command still runs. The console runs on a
 * dumb terminal over plain streams, as it would with its input not a TTY.
 */
class Issue12InteractiveBoundsTest {
    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final CommandProcessorImpl processor;

    /** A command that proves the console is still up. */
    public static final class Alive {
        public String ok() {
            return "still up";
        }
    }

    Issue12InteractiveBoundsTest() {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        processor.addCommand("t", new Alive(), "ok");
    }

    @AfterEach
    void stop() {
        threadIO.stop();
    }

    private String console(String input, AtomicBoolean shutdown) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Terminal terminal = TerminalBuilder.builder()
                .system(false)
                .type(Terminal.TYPE_DUMB)
                .streams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen)
                .encoding(StandardCharsets.UTF_8)
                .build();
        new Interactive(processor, null, "t:*", false, () -> shutdown.set(true)).run(terminal, null);
        return screen.toString(StandardCharsets.UTF_8);
    }

    private static List<String> errorLines(String screen) {
        return screen.lines().filter(l -> l.contains("Argument list too long")).toList();
    }

    @Test
    void issue12FiveThousandBracketsAreOneLineAndTheConsoleStaysUp() throws Exception {
        AtomicBoolean shutdown = new AtomicBoolean();
        String screen = console("[".repeat(5000) + "\nt:ok\n", shutdown);
        List<String> errors = errorLines(screen);
        assertEquals(1, errors.size(), screen.length() > 2000 ? screen.substring(screen.length() - 2000) : screen);
        assertTrue(
                errors.get(0).endsWith("[[[...: brackets nested deeper than 64 levels: Argument list too long"),
                errors.get(0));
        assertTrue(screen.contains("still up"), "the next command ran");
        assertFalse(screen.contains("\tat "), "no stack trace");
        assertTrue(shutdown.get(), "end of input ends the console as Ctrl-D does");
    }

    @Test
    void issue12OverlongLineIsOneLineAndTheConsoleStaysUp() throws Exception {
        AtomicBoolean shutdown = new AtomicBoolean();
        String screen = console("echo " + "x".repeat(Limits.MAX_COMMAND) + "\nt:ok\n", shutdown);
        List<String> errors = errorLines(screen);
        assertEquals(1, errors.size());
        assertTrue(
                errors.get(0).endsWith("echo: command line longer than 131072 characters: Argument list too long"),
                errors.get(0));
        assertTrue(screen.contains("still up"), "the next command ran");
    }

    @Test
    void withinTheBoundsAnOpenBracketStillAsksForTheRest() throws Exception {
        AtomicBoolean shutdown = new AtomicBoolean();
        String screen = console("t:ok; [\n]\nt:ok\n", shutdown);
        assertTrue(errorLines(screen).isEmpty(), screen);
        assertEquals(2, screen.split("still up", -1).length - 1, screen);
    }
}
