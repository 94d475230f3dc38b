package org.kmodel.cli.internal;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Runs commands one by one in one Gogo session, printing each result on {@code out} and each failure as one
 * line on {@code err}. Keeps going after a failure, like {@code sh -c 'a; b'}; the status is 0 only if every
 * command succeeded.
 */
final class Runner {
    /** Preferred command scopes: kmodel's first, so {@code cat} is ours and not gogo's. */
    static final String DEFAULT_SCOPE = "kernel:feature:vfs:mm:module:trace:*";

    private final CommandProcessor processor;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean debug;
    private final String scope;
    /** Where Gogo's job keeps the failures of a pipe's elements other than the last. */
    static final String PIPE_EXCEPTION = "pipe-exception";
    /** The status an {@code exit [N]} or {@code quit} asked for; {@code null} if the script ran to its end. */
    private Integer exit;
    /** The command line running now, for {@link PipeErrors}. */
    private volatile String current;

    Runner(CommandProcessor processor, PrintStream out, PrintStream err, boolean debug, String scope) {
        this.processor = processor;
        this.out = out;
        this.err = err;
        this.debug = debug;
        this.scope = scope == null || scope.isBlank() ? DEFAULT_SCOPE : scope;
    }

    /** Runs every command; returns the number that failed. */
    int run(List<String> commands) {
        int failed = 0;
        CommandSession session = processor.createSession(
                new ByteArrayInputStream(new byte[0]),
                out,
                new java.io.PrintStream(
                        new PipeErrors(err, () -> current), true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            session.put("SCOPE", scope);
            for (String command : commands) {
                if (Exit.matches(command)) {
                    exit = Exit.status(command, failed);
                    break;
                }
                current = command;
                if (!runOne(session, command)) {
                    failed++;
                }
            }
        } finally {
            session.close();
        }
        out.flush();
        err.flush();
        return failed;
    }

    /** Runs one command of an interactive session: prints its result or its one error line. */
    boolean runIn(CommandSession session, String command) {
        current = command;
        return runOne(session, command);
    }

    /** The command line running now. */
    String current() {
        return current;
    }

    /** The status of {@code exit N}, or {@code null} if no exit/quit ended the script. */
    Integer exitStatus() {
        return exit;
    }

    /**
     * One command, whatever it throws: an Error as much as an Exception (a StackOverflowError of a parser, an
     * OutOfMemoryError of a command) ends this command with one line and a failure, never the runner, and
     * the stack trace is printed only with --debug. Input beyond {@link Limits} is refused before Gogo parses it.
     */
    private boolean runOne(CommandSession session, String command) {
        String refused = Limits.check(command);
        if (refused != null) {
            out.flush();
            err.println(Limits.clipName(Script.name(command)) + ": " + refused);
            err.flush();
            return false;
        }
        try {
            session.put(PIPE_EXCEPTION, null);
            Object result = session.execute(Redirection.prepare(command));
            print(session, result);
            // a failure inside a pipe was printed by Gogo (see PipeErrors); the pipe fails with it (pipefail)
            return session.get(PIPE_EXCEPTION) == null;
        } catch (Throwable t) {
            out.flush();
            String line = ErrorLine.of(command, t);
            if (line != null) {
                err.println(line);
            }
            if (debug) {
                t.printStackTrace(err);
            }
            err.flush();
            return false;
        }
    }

    private void print(CommandSession session, Object result) throws Exception {
        if (result == null) {
            return;
        }
        CharSequence text =
                result instanceof CharSequence ? (CharSequence) result : session.format(result, Converter.INSPECT);
        String s = String.valueOf(text);
        if (s.isEmpty()) {
            return;
        }
        out.print(s.endsWith("\n") ? s : s + "\n");
        out.flush();
    }
}
