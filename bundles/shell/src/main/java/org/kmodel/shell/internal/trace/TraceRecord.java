package org.kmodel.shell.internal.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandSession;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;

/**
 * {@code trace-cmd record} and {@code trace-cmd report} with the recording kept in the model ({@code trace.dat}
 * in the working directory, or {@code -o}/{@code -i FILE}, both model paths). kmodel's trace.dat holds the trace
 * file's lines as text, not trace-cmd's binary format: report prints them as trace-cmd report does (a
 * {@code cpus=} line, no irq-flags column).
 */
final class TraceRecord {
    static final String DEFAULT_FILE = "trace.dat";
    /** "  task-28    [000] ....     1.154955: event: fields": the flags column report leaves out. */
    private static final Pattern LINE =
            Pattern.compile("^(\\s*\\S.*?-\\d+\\s+\\[\\d+\\]) \\S{4} (\\s*\\d+\\.\\d+: .*)$");

    private TraceRecord() {}

    /** The parsed command line of record: events, output file, and the kmodel command to trace. */
    record Args(List<String> events, String output, List<String> command) {
        static Args parse(List<String> args) {
            // the kmodel command to trace follows the options: they end at its first word
            Getopt o = Getopt.of("e:o:").stopAtOperand().run(args.toArray(new String[0]));
            if (o.values('e').isEmpty()) {
                throw new KernelException(Errno.EINVAL, "trace-cmd record: no event given (-e EVENT)");
            }
            return new Args(o.values('e'), o.value('o') == null ? DEFAULT_FILE : o.value('o'), o.operands());
        }
    }

    /** A model path for FILE, relative to the session's directory (never the host's). */
    static Path modelPath(CommandSession session, String file) {
        Path cwd = session == null ? null : session.currentDir();
        if (cwd == null || cwd.getFileSystem() == FileSystems.getDefault()) {
            throw new KernelException(Errno.ENODEV, "trace-cmd: " + file + ": no kmodel file system in this session");
        }
        return cwd.resolve(file);
    }

    static String save(CommandSession session, String file, String trace) {
        byte[] data = trace.getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(modelPath(session, file), data);
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, "trace-cmd record: " + e.getMessage(), e);
        }
        return "CPU0 data recorded at offset=0x0\n    " + data.length + " bytes in size";
    }

    static String report(CommandSession session, List<String> args) {
        Getopt o = Getopt.parse(args.toArray(new String[0]), "i:");
        if (!o.operands().isEmpty()) {
            throw new KernelException(Errno.EINVAL, "trace-cmd report: usage: trace-cmd report [-i FILE]");
        }
        String file = o.value('i') == null ? DEFAULT_FILE : o.value('i');
        String text;
        try {
            text = Files.readString(modelPath(session, file), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KernelException(Errno.ENOENT, "trace-cmd report: " + file, e);
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, "trace-cmd report: " + e.getMessage(), e);
        }
        return report(text);
    }

    /** trace-cmd report's layout of the recorded trace lines. */
    static String report(String trace) {
        StringBuilder sb = new StringBuilder("cpus=1\n");
        for (String line : trace.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            sb.append(m.matches() ? m.group(1) + " " + m.group(2) : line).append('\n');
        }
        return sb.toString();
    }
}
