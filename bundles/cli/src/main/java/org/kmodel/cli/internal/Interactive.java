package org.kmodel.cli.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Job;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive kernel shell on a terminal: JLine reads a line, one Gogo session runs it, a result is printed
 * as in {@code -c} mode and a failure as the same one line {@code cmd: what: strerror} (never a Java class
 * name). {@code exit}/{@code quit}/Ctrl-D stop the framework; Ctrl-C interrupts the running command or clears
 * the line. Tab completes command names, options (from each command's help) and model paths.
 *
 * <p>This replaces gogo.jline's console, whose loop prints {@code exception.toString()}
 * ({@code org.apache.felix.gogo.runtime.CommandNotFoundException: ...}) and cannot be configured otherwise.
 */
final class Interactive {
    static final String PROMPT = "kmodel$ ";

    private final CommandProcessor processor;
    private final FileSystem fs;
    private final String scope;
    private final boolean debug;
    private final Runnable shutdown;

    Interactive(CommandProcessor processor, FileSystem fs, String scope, boolean debug, Runnable shutdown) {
        this.processor = processor;
        this.fs = fs;
        this.scope = scope == null || scope.isBlank() ? Runner.DEFAULT_SCOPE : scope;
        this.debug = debug;
        this.shutdown = shutdown;
    }

    void run(String historyFile) throws Exception {
        run(
                TerminalBuilder.builder()
                        .system(true)
                        .nativeSignals(true)
                        .signalHandler(Terminal.SignalHandler.SIG_IGN)
                        .build(),
                historyFile);
    }

    /** The console on {@code terminal} (the system's, or in tests one over plain streams); closes it at the end. */
    void run(Terminal terminal, String historyFile) throws Exception {
        PrintStream out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
        Runner[] runner = new Runner[1];
        PrintStream err = new PrintStream(
                new PipeErrors(terminal.output(), () -> runner[0].current()), true, StandardCharsets.UTF_8);
        runner[0] = new Runner(processor, out, err, debug, scope);
        CommandSession session = processor.createSession(terminal.input(), out, err);
        session.put("SCOPE", scope);
        session.put(".terminal", terminal); // Gogo's grep colours matches on a terminal only
        DefaultParser parser = new BoundedParser();
        parser.setEofOnUnclosedQuote(true);
        parser.setEofOnUnclosedBracket(
                DefaultParser.Bracket.CURLY, DefaultParser.Bracket.ROUND, DefaultParser.Bracket.SQUARE);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("kmodel")
                .parser(parser)
                .completer(new ShellCompleter(session, fs))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%M> ");
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, Path.of(historyFile));
        }
        LineReader reader = builder.build();
        terminal.handle(Terminal.Signal.INT, s -> {
            Job job = session.foregroundJob();
            if (job != null) {
                job.interrupt();
            }
        });
        out.println("kmodel " + version(session) + ", a model of the Linux kernel on Apache Felix.");
        out.println("Try: help, uname -a, taint, dmesg, echo 1 > /proc/sys/kernel/sysrq. Leave with exit or Ctrl-D.");
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C on the prompt: a fresh line, as bash does
                } catch (EndOfFileException e) {
                    break;
                }
                boolean exit = false;
                for (String command : Script.split(line)) {
                    if (Exit.matches(command)) {
                        exit = true;
                        break;
                    }
                    runner[0].runIn(session, command);
                }
                if (exit) {
                    break;
                }
            }
        } finally {
            try {
                reader.getHistory().save();
            } catch (Exception e) {
                // a history that cannot be saved is not worth an error line on the way out
            }
            session.close();
            terminal.close();
            shutdown.run();
        }
    }

    /**
     * JLine's parser, which asks for a continuation line while a quote or bracket is open, except beyond the
     * shell's input bounds ({@link Limits}): such a buffer is accepted as it is, so that the runner refuses it
     * with one E2BIG line, as -c and -f do, instead of reading continuation lines without end (5,000 '[' used to
     * keep the console waiting for 5,000 closing brackets).
     */
    static final class BoundedParser extends DefaultParser {
        @Override
        public org.jline.reader.ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && Limits.check(line) != null) {
                return super.parse(line, cursor, ParseContext.SPLIT_LINE);
            }
            return super.parse(line, cursor, context);
        }
    }

    private static String version(CommandSession session) {
        try {
            Object r = session.execute("uname -r");
            return r == null
                    ? ""
                    : String.valueOf(session.format(r, Converter.LINE)).strip();
        } catch (Exception e) {
            return "";
        }
    }
}
