package org.kmodel.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gogo prints the failure of a command in the middle of a pipe itself, as
 * {@code gogo: KernelException: /nope: No such file or directory}. This stream rewrites such a line into the
 * shell's form, {@code cat: /nope: No such file or directory}. The command is the element that failed: Gogo
 * prints the line on that element's own thread, which it names {@code pipe-} and the element's text
 * (gogo.runtime's {@code Pipe.call}). Only if the line comes from another thread is the element guessed: the one
 * that names the path the message starts with, or that was given the option getopt complains about, else the
 * pipe's first command.
 */
final class PipeErrors extends OutputStream {
    /** Gogo's line: the exception's simple class name (empty for an anonymous subclass) and its message. */
    private static final Pattern GOGO = Pattern.compile("gogo: ([A-Za-z0-9_$]*): (.*)");
    /** A command that has already said why it failed (grep without a match): Gogo's line is dropped. */
    private static final String EXIT_STATUS = "ExitStatus";

    private final OutputStream out;
    private final Supplier<String> command;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    PipeErrors(OutputStream out, Supplier<String> command) {
        this.out = out;
        this.command = command;
    }

    /** The thread Gogo runs a pipe element on is named after it. */
    static final String PIPE_THREAD = "pipe-";

    static String rewrite(String command, String line) {
        return rewrite(command, line, Thread.currentThread().getName());
    }

    /**
     * The shell's line for one line Gogo printed ({@code thread}: the name of the thread it was written on), the line
     * unchanged if it is not Gogo's failure line, or null if it is to be dropped (a command that already reported
     * its failure).
     */
    static String rewrite(String command, String line, String thread) {
        Matcher m = GOGO.matcher(line);
        if (command == null || !m.matches()) {
            return line;
        }
        if (m.group(1).equals(EXIT_STATUS)) {
            return null;
        }
        String msg = m.group(2);
        if (thread != null
                && thread.startsWith(PIPE_THREAD)
                && !Script.name(thread.substring(PIPE_THREAD.length())).isEmpty()) {
            return Limits.clipName(Script.name(thread.substring(PIPE_THREAD.length()))) + ": " + msg;
        }
        String path = msg.contains(": ") ? msg.substring(0, msg.indexOf(": ")) : "";
        String name = Script.name(command);
        String option = badOption(msg);
        for (String element : command.split("\\|")) {
            if (!path.isEmpty() && (" " + element + " ").contains(" " + path + " ")) {
                name = Script.name(element);
                break;
            }
            if (option != null && hasOption(element, option)) {
                name = Script.name(element);
                break;
            }
        }
        return name + ": " + msg;
    }

    private static final Pattern BAD_OPTION = Pattern.compile(
            "(?:invalid option(?: --)? '(.)'|unrecognized option '(--[^'=]+)[^']*'|option requires an argument -- '(.)').*");

    /** The option getopt's message names ("invalid option -- 'E'": "E"; "unrecognized option '--x'": "--x"). */
    static String badOption(String msg) {
        Matcher m = BAD_OPTION.matcher(msg);
        if (!m.matches()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    }

    /** Whether a pipe element was given that option: "--x" as a word, or a short option inside "-abc". */
    static boolean hasOption(String element, String option) {
        for (String word : element.trim().split("\\s+")) {
            if (option.startsWith("--")
                    ? word.equals(option) || word.startsWith(option + "=")
                    : word.startsWith("-") && !word.startsWith("--") && word.indexOf(option) > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b == '\n') {
            String text = rewrite(command.get(), line.toString(StandardCharsets.UTF_8));
            if (text != null) {
                out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            }
            line.reset();
            out.flush();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (line.size() > 0 && !line.toString(StandardCharsets.UTF_8).startsWith("gogo: ")) {
            out.write(line.toByteArray());
            line.reset();
        }
        out.flush();
    }
}
