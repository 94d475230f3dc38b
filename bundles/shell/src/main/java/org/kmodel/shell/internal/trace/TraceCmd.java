package org.kmodel.shell.internal.trace;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.ProcFs;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.trace.TraceArray;
import org.kmodel.trace.TraceEventInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A subset of {@code trace-cmd} (trace-cmd/tracecmd/trace-record.c, trace-list.c, trace-show.c): like the
 * real tool it drives ftrace through the same state the tracefs files show, and {@code show} prints the
 * {@code trace} file itself. Gogo cannot name a Java method {@code trace-cmd}, so the command is
 * dispatched through Gogo's {@code _main} convention.
 */
@Component(
        service = TraceCmd.class,
        property = {"osgi.command.scope=trace", "osgi.command.function=trace-cmd"})
public class TraceCmd {
    static final String TRACEFS = "/sys/kernel/tracing";
    static final String USAGE = ""
            + "usage: trace-cmd COMMAND [OPTIONS]\n"
            + "\n"
            + "  list -e [REGEX] [--json]  list the available events (system:event), optionally filtered\n"
            + "  start -e EVENT ...  disable all events, clear the buffer, enable EVENT (system, event,\n"
            + "                      system:event, globs allowed; -e may repeat) and turn tracing on\n"
            + "  start -p TRACER [-l FUNC]...  set current_tracer (nop, function, function_graph) with\n"
            + "                      set_ftrace_filter FUNC (globs allowed; none: every function)\n"
            + "  stop                turn tracing off (tracing_on = 0); events stay enabled\n"
            + "  show [-p]           print the trace buffer (the tracefs 'trace' file);\n"
            + "                      -p reads trace_pipe: consumes and waits for events until Ctrl-C\n"
            + "  record -e EVENT ... [-o FILE] [COMMAND...]\n"
            + "                      trace while the kmodel COMMAND runs (or until Ctrl-C); the trace is\n"
            + "                      kept in the model, in trace.dat or FILE (text, not trace-cmd's binary form)\n"
            + "  report [-i FILE]    print a recording as trace-cmd report does\n"
            + "  clear               empty the trace buffer\n"
            + "  reset               current_tracer nop, empty filter, disable all events, empty the buffer,\n"
            + "                      tracing on\n"
            + "  help                this text\n";

    private final TraceArray trace;
    private final ProcFs proc;

    @Activate
    public TraceCmd(@Reference TraceArray trace, @Reference ProcFs proc) {
        this.trace = trace;
        this.proc = proc;
    }

    @Descriptor(
            "trace-cmd: control the tracing events (list -e, start -e EVENT, stop, show [-p], record, report, clear, reset, help)")
    public Object _main(CommandSession session, @Descriptor("COMMAND [OPTIONS], see 'trace-cmd help'") String... argv) {
        // Gogo hands _main the command's own name first, as argv[0] of a C main()
        String[] args = argv.length > 0 && (argv[0].equals("trace-cmd") || argv[0].endsWith(":trace-cmd"))
                ? java.util.Arrays.copyOfRange(argv, 1, argv.length)
                : argv;
        if (args.length == 0) {
            throw new KernelException(Errno.EINVAL, "trace-cmd: missing command\n" + USAGE);
        }
        List<String> rest = List.of(args).subList(1, args.length);
        switch (args[0]) {
            case "list":
                return list(rest);
            case "start":
                start(rest);
                return null;
            case "record":
                return record(session, rest);
            case "report":
                return strip(TraceRecord.report(session, rest));
            case "stop":
                noArgs("stop", rest);
                trace.setTracingOn(false);
                return null;
            case "show":
                return strip((String) show(session, rest));
            case "clear":
                noArgs("clear", rest);
                trace.clear();
                return null;
            case "reset":
                noArgs("reset", rest);
                startTracer("nop", List.of());
                trace.setEventEnabled("*", "*", false);
                trace.clear();
                trace.setTracingOn(true);
                return null;
            case "help":
            case "-h":
            case "--help":
                return strip(USAGE);
            default:
                throw new KernelException(Errno.EINVAL, "trace-cmd: unknown command '" + args[0] + "'\n" + USAGE);
        }
    }

    private EventList list(List<String> args) {
        Getopt o = Getopt.parse(args.toArray(new String[0]), "e", "json");
        boolean json = o.has("json");
        if (!o.has('e') || o.operands().size() > 1) {
            throw new KernelException(Errno.EINVAL, "trace-cmd list: usage: trace-cmd list -e [REGEX] [--json]");
        }
        Pattern filter;
        String regex = o.operands().isEmpty() ? null : o.operands().get(0);
        try {
            filter = regex != null ? Pattern.compile(regex) : null;
        } catch (java.util.regex.PatternSyntaxException e) {
            // trace-cmd compiles the filter with regcomp(3) and gives up on an invalid one
            throw new KernelException(Errno.EINVAL, "list: invalid regular expression '" + regex + "'");
        }
        List<String> names = new ArrayList<>();
        for (TraceEventInfo e : trace.events()) {
            if (filter == null || filter.matcher(e.fullName()).find()) {
                names.add(e.fullName());
            }
        }
        return new EventList(List.copyOf(names), json);
    }

    private void start(List<String> args) {
        Getopt o = Getopt.parse(args.toArray(new String[0]), "e:p:l:");
        if (!o.operands().isEmpty()) {
            throw new KernelException(
                    Errno.EINVAL, "trace-cmd start: usage: trace-cmd start [-p TRACER] [-l FUNC]... [-e EVENT]...");
        }
        List<String> functions = o.values('l');
        String plugin = o.value('p');
        if (o.values('e').isEmpty() && plugin == null) {
            throw new KernelException(Errno.EINVAL, "trace-cmd start: no event given (-e EVENT) and no plugin (-p)");
        }
        if (plugin != null || !functions.isEmpty()) {
            startTracer(plugin == null ? "nop" : plugin, functions);
        }
        List<String> events = o.values('e');
        if (events.isEmpty()) {
            trace.setEventEnabled("*", "*", false);
            trace.setTracingOn(true);
            return;
        }
        List<TraceEventInfo> all = trace.events();
        List<TraceEventInfo> chosen = new ArrayList<>();
        for (String spec : events) {
            List<TraceEventInfo> m = EventSpec.select(spec, all);
            if (m.isEmpty()) {
                throw new KernelException(Errno.EINVAL, "trace-cmd start: No events enabled with " + spec);
            }
            chosen.addAll(m);
        }
        trace.setEventEnabled("*", "*", false);
        trace.clear();
        for (TraceEventInfo e : chosen) {
            trace.setEventEnabled(e.definition().system(), e.definition().name(), true);
        }
        trace.setTracingOn(true);
    }

    /**
     * trace-cmd's {@code -p} and {@code -l} (trace-record.c set_plugin, set_ftrace_filter): the filter is written
     * first (O_TRUNC, so it replaces the old one), then current_tracer, which empties the buffer.
     */
    private void startTracer(String plugin, List<String> functions) {
        List<String> tracers;
        try {
            tracers = List.of(proc.read(TRACEFS + "/available_tracers").trim().split("\\s+"));
        } catch (KernelException e) {
            tracers = List.of("nop"); // no function tracers running: only nop
        }
        if (!tracers.contains(plugin)) {
            throw new KernelException(Errno.EINVAL, "trace-cmd start: plugin '" + plugin + "' does not exist");
        }
        if (!tracers.contains("function")) {
            return; // nothing but nop: no filter to reset
        }
        proc.truncate(TRACEFS + "/set_ftrace_filter");
        proc.write(TRACEFS + "/set_ftrace_filter", String.join(" ", functions) + "\n");
        proc.write(TRACEFS + "/current_tracer", plugin + "\n");
    }

    /**
     * trace-cmd record: enable the events, run the kmodel command (or wait for Ctrl-C without one), stop, and
     * keep the trace in the model (trace.dat or -o FILE).
     */
    private String record(CommandSession session, List<String> args) {
        TraceRecord.Args a = TraceRecord.Args.parse(args);
        TraceRecord.modelPath(session, a.output()); // no file system: refuse before tracing anything
        List<String> startArgs = new ArrayList<>();
        for (String e : a.events()) {
            startArgs.add("-e");
            startArgs.add(e);
        }
        start(startArgs);
        try {
            if (a.command().isEmpty()) {
                PrintStream out = session.getConsole();
                out.println("Hit Ctrl^C to stop recording");
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                Thread.interrupted(); // Ctrl-C ends the recording, not the command
            } else {
                Object result = session.execute(String.join(" ", a.command()));
                if (result != null) {
                    session.getConsole().println(session.format(result, 0));
                }
            }
        } catch (KernelException e) {
            throw e;
        } catch (Exception e) {
            throw new KernelException(Errno.EINVAL, "trace-cmd record: " + e.getMessage(), e);
        } finally {
            trace.setTracingOn(false);
        }
        return TraceRecord.save(session, a.output(), proc.read(TRACEFS + "/trace"));
    }

    private Object show(CommandSession session, List<String> args) {
        Getopt o = Getopt.parse(args.toArray(new String[0]), "p");
        if (!o.operands().isEmpty()) {
            throw new KernelException(Errno.EINVAL, "trace-cmd show: usage: trace-cmd show [-p]");
        }
        if (!o.has('p')) {
            return proc.read(TRACEFS + "/trace");
        }
        PrintStream out = session != null ? session.getConsole() : System.out;
        while (!Thread.currentThread().isInterrupted()) {
            String chunk = proc.read(TRACEFS + "/trace_pipe");
            out.print(chunk);
            out.flush();
        }
        return null;
    }

    /** Gogo prints a newline after a result, so a result ends without one (as cat's does). */
    private static String strip(String s) {
        return s != null && s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static void noArgs(String cmd, List<String> args) {
        if (!Getopt.parse(args.toArray(new String[0]), "").operands().isEmpty()) {
            throw new KernelException(Errno.EINVAL, "trace-cmd " + cmd + ": unexpected argument '" + args.get(0) + "'");
        }
    }
}
