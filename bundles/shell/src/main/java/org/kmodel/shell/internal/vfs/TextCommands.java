package org.kmodel.shell.internal.vfs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Process;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.shell.internal.session.ExitStatus;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code echo}, {@code head}, {@code tail} and {@code grep} as bash's builtin and GNU coreutils/grep behave, over
 * the model's files and the pipe's stdin. Gogo's own versions (gogo.jline's Posix) differ where users notice:
 * its {@code echo} refuses {@code ---} and has no {@code -e}, {@code head -2}/{@code tail -2} (the obsolete
 * {@code -N} form) name a file or fail, {@code tail -n +N} is missing, its {@code grep} has no {@code -E},
 * {@code -F}, {@code -e}, {@code -l} and reads a pattern as a Java regex. These write bytes to the pipe's stdout
 * (so {@code echo -n} and {@code head -c} keep the exact bytes) and return nothing.
 */
@Component(
        service = TextCommands.class,
        property = {
            "osgi.command.scope=vfs",
            "osgi.command.function=echo",
            "osgi.command.function=head",
            "osgi.command.function=tail",
            "osgi.command.function=grep"
        })
public class TextCommands {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    static final String STDIN = "standard input";

    // ------------------------------------------------------------------ echo

    @Descriptor(
            "print the words (bash's builtin echo): -n no newline, -e backslash escapes (\\t \\n \\xHH \\0NNN \\c), "
                    + "-E none (default); anything else, '---' and '--help' included, is printed")
    public void echo(@Descriptor("[-neE] WORD...") Object... args) {
        write(Operands.stdout(), echo(words(args)));
    }

    /** bash's echo (builtins/echo.def): leading words made only of n, e, E are options, everything else is text. */
    static byte[] echo(List<String> words) {
        boolean newline = true;
        boolean escapes = false;
        int i = 0;
        while (i < words.size() && words.get(i).matches("-[neE]+")) {
            for (char c : words.get(i).substring(1).toCharArray()) {
                if (c == 'n') {
                    newline = false;
                } else {
                    escapes = c == 'e';
                }
            }
            i++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int w = i; w < words.size(); w++) {
            if (w > i) {
                out.write(' ');
            }
            if (!escapes) {
                out.writeBytes(words.get(w).getBytes(StandardCharsets.UTF_8));
            } else if (!unescape(words.get(w), out)) {
                return out.toByteArray(); // \c: no further output, no newline
            }
        }
        if (newline) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** echo -e's escapes (bash's ansicstr); false after {@code \c}. */
    private static boolean unescape(String s, ByteArrayOutputStream out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'c' -> {
                    return false;
                }
                case 'e', 'E' -> out.write(27);
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case '\\' -> out.write('\\');
                case '0' -> {
                    int v = 0;
                    int n = 0;
                    while (n < 3 && i + 1 < s.length() && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '7') {
                        v = v * 8 + (s.charAt(++i) - '0');
                        n++;
                    }
                    out.write(v & 0xff);
                }
                case 'x', 'u', 'U' -> {
                    int max = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    long v = 0;
                    int n = 0;
                    while (n < max && i + 1 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0) {
                        v = v * 16 + Character.digit(s.charAt(++i), 16);
                        n++;
                    }
                    if (n == 0) {
                        out.write('\\');
                        out.write(e);
                    } else if (e == 'x') {
                        out.write((int) v);
                    } else if (v <= Character.MAX_CODE_POINT) {
                        out.writeBytes(new String(Character.toChars((int) v)).getBytes(StandardCharsets.UTF_8));
                    }
                }
                default -> {
                    out.write('\\');
                    out.writeBytes(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ head

    static final String HEAD_USAGE = "head [-n [-]NUM | -c [-]NUM | -NUM] [-q] [-v] [FILE...]";

    @Descriptor("print the first 10 lines of each FILE or of stdin (GNU head): -n [-]NUM lines (-NUM the same; "
            + "-n -NUM all but the last NUM), -c [-]NUM bytes, -q no headers, -v always headers")
    public void head(@Descriptor("[-n [-]NUM | -c [-]NUM | -NUM] [-q] [-v] [FILE...]") Object... args)
            throws IOException {
        Process p = Process.Utils.current();
        head(words(args), p != null ? p.in() : System.in, Operands.stdout(), p == null || !p.isTty(0));
    }

    void head(List<String> args, InputStream stdin, OutputStream out, boolean drainStdin) throws IOException {
        Getopt o = Getopt.parse(
                obsoleteCount(args).toArray(new String[0]),
                "n:c:qv",
                "lines=n",
                "bytes=c",
                "quiet=q",
                "silent=q",
                "verbose=v");
        boolean bytes = o.value('c') != null && o.value('n') == null;
        String spec = bytes ? o.value('c') : o.value('n') != null ? o.value('n') : "10";
        boolean allBut = spec.startsWith("-");
        long count = count(allBut || spec.startsWith("+") ? spec.substring(1) : spec, bytes ? "bytes" : "lines");
        List<String> files = o.operands().isEmpty() ? List.of("-") : o.operands();
        boolean headers = o.has('v') || (files.size() > 1 && !o.has('q'));
        for (int i = 0; i < files.size(); i++) {
            String f = files.get(i);
            boolean isStdin = f.equals("-");
            InputStream in = isStdin ? stdin : new ByteArrayInputStream(read(f, "cannot open '%s' for reading"));
            if (headers) {
                write(
                        out,
                        ((i > 0 ? "\n" : "") + "==> " + (isStdin ? STDIN : f) + " <==\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
            if (allBut) {
                byte[] all = in.readAllBytes();
                write(out, java.util.Arrays.copyOf(all, (int) Math.max(
                        0,
                        bytes ? all.length - count : lineStart(all, lines(all).size() - count))));
            } else if (bytes) {
                write(out, in.readNBytes((int) Math.min(count, Integer.MAX_VALUE)));
            } else {
                for (long n = 0; n < count; n++) {
                    byte[] line = readLine(in);
                    if (line == null) {
                        break;
                    }
                    write(out, line);
                }
            }
            if (isStdin && drainStdin) {
                // sh kills the writer with SIGPIPE; a Gogo pipe's writer would fail on a closed pipe instead
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        out.flush();
    }

    // ------------------------------------------------------------------ tail

    static final String TAIL_USAGE = "tail [-n [+]NUM | -c [+]NUM | -NUM] [-q] [-v] [-f [-s SECONDS]] [FILE...]";

    @Descriptor("print the last 10 lines of each FILE or of stdin (GNU tail): -n NUM lines (-NUM the same; -n +NUM "
            + "from line NUM on), -c [+]NUM bytes, -q/-v headers, -f follow a file as it grows (Ctrl-C ends), "
            + "-s SECONDS between looks")
    public void tail(@Descriptor("[-n [+]NUM | -c [+]NUM | -NUM] [-q] [-v] [-f] [FILE...]") Object... args)
            throws IOException, InterruptedException {
        Process p = Process.Utils.current();
        tail(words(args), p != null ? p.in() : System.in, Operands.stdout());
    }

    void tail(List<String> args, InputStream stdin, OutputStream out) throws IOException, InterruptedException {
        Getopt o = Getopt.parse(
                obsoleteCount(args).toArray(new String[0]),
                "n:c:qvfFs:",
                "lines=n",
                "bytes=c",
                "quiet=q",
                "silent=q",
                "verbose=v",
                "follow=f",
                "sleep-interval=s",
                "retry");
        boolean bytes = o.value('c') != null && o.value('n') == null;
        String spec = bytes ? o.value('c') : o.value('n') != null ? o.value('n') : "10";
        boolean fromStart = spec.startsWith("+");
        long count = count(fromStart || spec.startsWith("-") ? spec.substring(1) : spec, bytes ? "bytes" : "lines");
        double sleep = 1.0;
        if (o.value('s') != null) {
            try {
                sleep = Double.parseDouble(o.value('s'));
            } catch (NumberFormatException e) {
                sleep = -1;
            }
            if (!(sleep >= 0)) {
                throw new KernelException(Errno.EINVAL, "invalid number of seconds: '" + o.value('s') + "'");
            }
        }
        List<String> files = o.operands().isEmpty() ? List.of("-") : o.operands();
        boolean headers = o.has('v') || (files.size() > 1 && !o.has('q'));
        long[] offsets = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            String f = files.get(i);
            boolean isStdin = f.equals("-");
            byte[] all = isStdin ? stdin.readAllBytes() : read(f, "cannot open '%s' for reading");
            offsets[i] = all.length;
            if (headers) {
                write(
                        out,
                        ((i > 0 ? "\n" : "") + "==> " + (isStdin ? STDIN : f) + " <==\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
            long from;
            if (bytes) {
                from = fromStart ? Math.max(0, count - 1) : all.length - count;
            } else {
                int n = lines(all).size();
                from = lineStart(all, fromStart ? Math.max(0, count - 1) : n - count);
            }
            from = Math.max(0, Math.min(all.length, from));
            out.write(all, (int) from, all.length - (int) from);
        }
        out.flush();
        if (o.has('f') || o.has('F')) {
            follow(files, offsets, headers, out, (long) (sleep * 1000));
        }
    }

    /** tail -f: looks at each named file every interval and prints what was appended (stdin is not followed). */
    private void follow(List<String> files, long[] offsets, boolean headers, OutputStream out, long millis)
            throws IOException, InterruptedException {
        if (files.stream().allMatch(f -> f.equals("-"))) {
            return; // GNU tail ignores -f for a pipe
        }
        int last = files.size() - 1;
        while (true) {
            Thread.sleep(Math.max(10, millis));
            for (int i = 0; i < files.size(); i++) {
                String f = files.get(i);
                if (f.equals("-")) {
                    continue;
                }
                byte[] now;
                try {
                    now = read(f, "cannot open '%s' for reading");
                } catch (KernelException e) {
                    continue; // gone for now (GNU prints a notice and keeps following with -F)
                }
                if (now.length < offsets[i]) {
                    offsets[i] = 0; // truncated: GNU's "file truncated", then from the start
                }
                if (now.length > offsets[i]) {
                    if (headers && i != last) {
                        write(out, ("\n==> " + f + " <==\n").getBytes(StandardCharsets.UTF_8));
                        last = i;
                    }
                    out.write(now, (int) offsets[i], now.length - (int) offsets[i]);
                    out.flush();
                    offsets[i] = now.length;
                }
            }
        }
    }

    /** {@code head -5} / {@code tail -5}: the obsolete form, GNU's only in the first word, is {@code -n 5}. */
    static List<String> obsoleteCount(List<String> args) {
        if (!args.isEmpty() && args.get(0).matches("-[0-9]+")) {
            List<String> a = new ArrayList<>(args);
            a.set(0, args.get(0).substring(1));
            a.add(0, "-n");
            return a;
        }
        return args;
    }

    /** A count with coreutils' suffixes (b 512, K/k 1024, KB 1000, M, G, ...). */
    static long count(String text, String what) {
        String t = text;
        long mult = 1;
        if (t.endsWith("b") && t.length() > 1 && Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
            mult = 512;
        }
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return Math.multiplyExact(Long.parseLong(t), mult);
            } catch (ArithmeticException | NumberFormatException e) {
                return Long.MAX_VALUE; // GNU: a count too large for the input is "all of it"
            }
        }
        try {
            if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
                return org.kmodel.kernel.Sizes.parse(t);
            }
        } catch (RuntimeException e) {
            // fall through to the error
        }
        throw new KernelException(Errno.EINVAL, "invalid number of " + what + ": '" + text + "'");
    }

    // ------------------------------------------------------------------ grep

    static final String GREP_USAGE = "grep [-EFGivwxcnlLqshHo] [-m NUM] [-A NUM] [-B NUM] [-C NUM] [-e PATTERN]... "
            + "[-f FILE] PATTERN [FILE...]";

    @Descriptor(
            "print lines matching PATTERN in each FILE or in stdin (GNU grep): -E extended, -F fixed strings, -G basic "
                    + "(default), -e PATTERN (repeatable), -f FILE, -i ignore case, -v invert, -w words, -x whole lines, -c count, "
                    + "-n line numbers, -l/-L file names, -q quiet, -s no file errors, -h/-H file name prefix, -o only the match, "
                    + "-m NUM, -A/-B/-C NUM context; status 0 if a line was selected, 1 if none")
    public void grep(@Descriptor("[OPTION...] PATTERN [FILE...]") Object... args) throws IOException {
        Process p = Process.Utils.current();
        if (!grep(words(args), p != null ? p.in() : System.in, Operands.stdout(), Operands.stderr())) {
            throw new ExitStatus(1);
        }
    }

    /**
     * Returns whether a line was selected (grep's status 0). GNU grep goes on past a file it cannot read: one
     * {@code grep: FILE: strerror} line on stderr where it comes to it (none with {@code -s}), the other files'
     * lines on stdout, and status 2, unless {@code -q} selected a line (grep.c, main: a match with {@code -q} exits
     * 0 at once, so the files after it are not opened). A single bad file and nothing printed is the one
     * KernelException the runner prints.
     */
    boolean grep(List<String> args, InputStream stdin, OutputStream out, OutputStream err) throws IOException {
        List<String> a = new ArrayList<>();
        for (String s : args) {
            if (!s.matches("--colou?r(=.*)?")) { // colour: never in kmodel's output
                a.add(s);
            }
        }
        Getopt o = Getopt.parse(
                a.toArray(new String[0]),
                "EFGPe:f:iyvwxcnlLqshHom:A:B:C:",
                "extended-regexp=E",
                "fixed-strings=F",
                "basic-regexp=G",
                "perl-regexp=P",
                "regexp=e",
                "file=f",
                "ignore-case=i",
                "invert-match=v",
                "word-regexp=w",
                "line-regexp=x",
                "count=c",
                "line-number=n",
                "files-with-matches=l",
                "files-without-match=L",
                "quiet=q",
                "silent=q",
                "no-messages=s",
                "no-filename=h",
                "with-filename=H",
                "only-matching=o",
                "max-count=m",
                "after-context=A",
                "before-context=B",
                "context=C");
        List<String> operands = new ArrayList<>(o.operands());
        List<String> patterns = new ArrayList<>();
        for (String e : o.values('e')) {
            patterns.addAll(List.of(e.split("\n", -1)));
        }
        if (o.value('f') != null) {
            String text = new String(read(o.value('f'), "%s"), StandardCharsets.UTF_8);
            if (!text.isEmpty()) {
                patterns.addAll(List.of(text.split("\n")));
            }
        }
        if (o.values('e').isEmpty() && o.value('f') == null) {
            if (operands.isEmpty()) {
                throw new KernelException(Errno.EINVAL, "missing operand\nUsage: " + GREP_USAGE);
            }
            patterns.addAll(List.of(operands.remove(0).split("\n", -1)));
        }
        Grep g = new Grep(o, compile(patterns, o));
        List<String> files = operands.isEmpty() ? List.of("-") : operands;
        g.prefix = !o.has('h') && (o.has('H') || files.size() > 1);
        Operands result = new Operands("grep");
        boolean failed = false;
        for (String f : files) {
            boolean isStdin = f.equals("-");
            byte[] data;
            try {
                data = isStdin ? stdin.readAllBytes() : read(f, "%s");
            } catch (KernelException e) {
                failed = true;
                if (!o.has('s')) {
                    result.error(e);
                }
                continue;
            }
            ByteArrayOutputStream lines = new ByteArrayOutputStream();
            g.file(isStdin ? "(standard input)" : f, data, lines);
            result.out(lines.toByteArray());
            if (g.selected && o.has('q')) {
                break;
            }
        }
        if (failed && !(o.has('q') && g.selected) && !o.has('s')) {
            result.finish(out, err, 2); // throws: the one exception, or the lines written and ExitStatus(2)
        }
        result.write(out, err);
        out.flush();
        if (failed && !(o.has('q') && g.selected)) {
            throw new ExitStatus(2);
        }
        return o.has('L') ? g.listedWithout : g.selected;
    }

    /** The patterns as Java regexes: GNU's BRE/ERE syntax translated, -F quoted, -w/-x/-i applied. */
    static List<Pattern> compile(List<String> patterns, Getopt o) {
        int flags = o.has('i') || o.has('y') ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        List<Pattern> out = new ArrayList<>();
        for (String p : patterns) {
            String re = o.has('F') ? Pattern.quote(p) : o.has('E') ? Regex.ere(p) : o.has('P') ? p : Regex.bre(p);
            if (o.has('x')) {
                re = "^(?:" + re + ")$";
            } else if (o.has('w')) {
                re = "(?<![\\p{L}\\p{N}_])(?:" + re + ")(?![\\p{L}\\p{N}_])";
            }
            try {
                out.add(Pattern.compile(re, flags));
            } catch (PatternSyntaxException e) {
                throw new KernelException(Errno.EINVAL, "invalid regular expression '" + p + "'");
            }
        }
        return out;
    }

    /** One grep run's state over its files. */
    private static final class Grep {
        final Getopt o;
        final List<Pattern> patterns;
        final long max;
        final int after;
        final int before;
        boolean prefix;
        boolean selected;
        boolean listedWithout;
        boolean printedGroup;

        Grep(Getopt o, List<Pattern> patterns) {
            this.o = o;
            this.patterns = patterns;
            this.max = o.value('m') == null ? Long.MAX_VALUE : count(o.value('m'), "matches");
            int c = o.value('C') == null ? 0 : (int) Math.min(Integer.MAX_VALUE, count(o.value('C'), "context length"));
            this.after =
                    o.value('A') == null ? c : (int) Math.min(Integer.MAX_VALUE, count(o.value('A'), "context length"));
            this.before =
                    o.value('B') == null ? c : (int) Math.min(Integer.MAX_VALUE, count(o.value('B'), "context length"));
        }

        boolean matches(String line) {
            for (Pattern p : patterns) {
                if (p.matcher(line).find()) {
                    return true;
                }
            }
            return false;
        }

        void file(String name, byte[] data, OutputStream out) throws IOException {
            boolean quiet = o.has('q') || o.has('l') || o.has('L');
            boolean count = o.has('c');
            List<byte[]> lines = lines(data);
            long hits = 0;
            int lastPrinted = -1;
            int afterLeft = 0;
            Deque<Integer> pending = new ArrayDeque<>();
            for (int i = 0; i < lines.size() && hits < max; i++) {
                byte[] raw = lines.get(i);
                String line = text(raw);
                boolean hit = matches(line) != o.has('v');
                if (!hit) {
                    if (!quiet && !count && afterLeft > 0) {
                        emit(out, name, i, raw, '-', lastPrinted);
                        lastPrinted = i;
                        afterLeft--;
                    } else if (before > 0) {
                        pending.addLast(i);
                        if (pending.size() > before) {
                            pending.removeFirst();
                        }
                    }
                    continue;
                }
                hits++;
                selected = true;
                if (quiet) {
                    if (o.has('q')) {
                        return;
                    }
                    break;
                }
                if (count) {
                    continue;
                }
                for (int b : pending) {
                    emit(out, name, b, lines.get(b), '-', lastPrinted);
                    lastPrinted = b;
                }
                pending.clear();
                if (o.has('o')) {
                    if (!o.has('v')) {
                        for (Pattern p : patterns) {
                            Matcher m = p.matcher(line);
                            while (m.find()) {
                                if (m.end() > m.start()) {
                                    emit(out, name, i, (m.group() + "\n").getBytes(StandardCharsets.UTF_8), ':', -2);
                                }
                            }
                        }
                    }
                } else {
                    emit(out, name, i, raw, ':', lastPrinted);
                }
                lastPrinted = i;
                afterLeft = after;
            }
            // trailing context after the last allowed match (-m): GNU prints it
            for (int i = lastPrinted + 1;
                    !quiet && !count && afterLeft > 0 && lastPrinted >= 0 && i < lines.size();
                    i++) {
                if (matches(text(lines.get(i))) != o.has('v')) {
                    break;
                }
                emit(out, name, i, lines.get(i), '-', lastPrinted);
                lastPrinted = i;
                afterLeft--;
            }
            if (count) {
                write(out, ((prefix ? name + ":" : "") + hits + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (o.has('l') && hits > 0) {
                write(out, (name + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (o.has('L') && hits == 0) {
                write(out, (name + "\n").getBytes(StandardCharsets.UTF_8));
                listedWithout = true;
            }
        }

        /** One output line: "--" between separated groups when there is context, then FILE: and N: prefixes. */
        private void emit(OutputStream out, String name, int index, byte[] raw, char sep, int lastPrinted)
                throws IOException {
            if ((after > 0 || before > 0) && lastPrinted != -2) {
                if (printedGroup && lastPrinted >= -1 && index > lastPrinted + 1) {
                    write(out, "--\n".getBytes(StandardCharsets.UTF_8));
                }
                printedGroup = true;
            }
            StringBuilder p = new StringBuilder();
            if (prefix) {
                p.append(name).append(sep);
            }
            if (o.has('n')) {
                p.append(index + 1).append(sep);
            }
            write(out, p.toString().getBytes(StandardCharsets.UTF_8));
            write(out, raw);
            if (raw.length == 0 || raw[raw.length - 1] != '\n') {
                out.write('\n');
            }
        }
    }

    /** GNU regex syntax (BRE, ERE) to java.util.regex. */
    static final class Regex {
        private Regex() {}

        /** Basic: {@code \( \) \{ \} \| \+ \?} are operators, the bare characters literal; a leading {@code *} is literal. */
        static String bre(String p) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '[') {
                    i = bracket(p, i, sb);
                } else if (c == '\\' && i + 1 < p.length()) {
                    char n = p.charAt(++i);
                    switch (n) {
                        case '(', ')', '{', '}', '|', '+', '?' -> sb.append(n);
                        case '<', '>' -> sb.append("\\b");
                        default -> sb.append('\\').append(n);
                    }
                } else if ("(){}|+?".indexOf(c) >= 0) {
                    sb.append('\\').append(c);
                } else if (c == '*'
                        && (sb.length() == 0
                                || sb.toString().endsWith("(")
                                || sb.toString().equals("^"))) {
                    sb.append("\\*");
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        /** Extended: as Java's, with POSIX bracket classes, {@code \< \>} and a literal brace that opens no interval. */
        static String ere(String p) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '[') {
                    i = bracket(p, i, sb);
                } else if (c == '\\' && i + 1 < p.length()) {
                    char n = p.charAt(++i);
                    sb.append(n == '<' || n == '>' ? "\\b" : "\\" + n);
                } else if (c == '{' && !p.substring(i).matches("\\{[0-9]+(,[0-9]*)?}.*")) {
                    sb.append("\\{");
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        /** A bracket expression from {@code p[i]}: POSIX classes become Java's, Java's own specials are escaped. */
        private static int bracket(String p, int start, StringBuilder sb) {
            int i = start + 1;
            StringBuilder b = new StringBuilder("[");
            if (i < p.length() && p.charAt(i) == '^') {
                b.append('^');
                i++;
            }
            boolean first = true;
            for (; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == ']' && !first) {
                    sb.append(b).append(']');
                    return i;
                }
                first = false;
                if (c == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
                    int end = p.indexOf(":]", i + 2);
                    if (end > 0) {
                        String cls = p.substring(i + 2, end);
                        String java =
                                switch (cls) {
                                    case "alpha" -> "\\p{Alpha}";
                                    case "digit" -> "0-9";
                                    case "alnum" -> "\\p{Alnum}";
                                    case "upper" -> "\\p{Upper}";
                                    case "lower" -> "\\p{Lower}";
                                    case "space" -> "\\s\\x0B";
                                    case "blank" -> " \\t";
                                    case "punct" -> "\\p{Punct}";
                                    case "print" -> "\\p{Print}";
                                    case "graph" -> "\\p{Graph}";
                                    case "cntrl" -> "\\p{Cntrl}";
                                    case "xdigit" -> "0-9A-Fa-f";
                                    default -> throw new KernelException(Errno.EINVAL, "invalid character class");
                                };
                        b.append(java);
                        i = end + 1;
                        continue;
                    }
                }
                if (c == '\\' || c == '[' || c == '&' || (c == '^' && b.length() > 1)) {
                    b.append('\\');
                }
                b.append(c);
            }
            throw new KernelException(Errno.EINVAL, "Unmatched [, [^, [:, [., or [=");
        }
    }

    // ------------------------------------------------------------------ shared

    /** Gogo's words: a glob expands to a list, one word per file, as sh passes them. */
    static List<String> words(Object[] args) {
        String thread = Thread.currentThread().getName();
        return words(args, thread.startsWith("pipe-") ? thread.substring("pipe-".length()) : null);
    }

    /**
     * The words as the user typed them. Gogo turns an unquoted word that parses as a number into one
     * ({@code +3} becomes 3, {@code 007} 7, {@code 1e3} 1000.0; gogo.runtime's {@code Closure.eval}), which would make
     * {@code tail -n +3} a {@code tail -n 3} and {@code echo 007} print 7. Gogo runs each pipe element on a thread
     * named {@code pipe-} and the element's text; when the words of that text line up with the arguments, a number
     * is given back the word it was made of (only if that word reads as the same number).
     */
    static List<String> words(Object[] args, String statement) {
        List<String> raw = statement == null ? null : rawWords(statement);
        boolean aligned = raw != null && args != null && raw.size() == args.length + 1;
        List<String> words = new ArrayList<>();
        if (args != null) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Collection<?> c) {
                    c.forEach(x -> words.add(String.valueOf(x)));
                } else if (a instanceof Number n && aligned && sameNumber(raw.get(i + 1), n)) {
                    words.add(raw.get(i + 1));
                } else {
                    words.add(String.valueOf(a));
                }
            }
        }
        return words;
    }

    private static boolean sameNumber(String word, Number n) {
        try {
            return n instanceof Long
                    ? Long.parseLong(word) == n.longValue()
                    : Double.valueOf(Double.parseDouble(word)).equals(n.doubleValue());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The words of a simple command's text: whitespace-separated, a quoted word kept with its quotes (it never
     * became a number), redirections ({@code > F}, {@code 2>>F}, {@code <F}) left out. Null for text this reading
     * cannot follow (a closure, a substitution, a variable, a here-document): the arguments are then taken as Gogo
     * gives them.
     */
    static List<String> rawWords(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        boolean skipNext = false;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (quote != 0) {
                cur.append(c);
                if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if ("{}()[]$|;`".indexOf(c) >= 0) {
                return null;
            }
            if (Character.isWhitespace(c)) {
                if (cur != null) {
                    String w = cur.toString();
                    cur = null;
                    if (skipNext) {
                        skipNext = false;
                    } else if (w.matches("[0-9&]?(>>?|<)(&[0-9])?")) {
                        skipNext = !w.contains("&") || w.startsWith("&");
                    } else if (!w.matches("[0-9&]?(>>?|<).+")) {
                        out.add(w);
                    }
                }
                continue;
            }
            if (cur == null) {
                cur = new StringBuilder();
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\' && i + 1 < text.length()) {
                cur.append(c);
                c = text.charAt(++i);
            }
            cur.append(c);
        }
        return quote != 0 ? null : out;
    }

    private static void write(OutputStream out, byte[] b) {
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A model file's bytes; an error names the file the way the tool does ({@code format} with the path). */
    private byte[] read(String path, String format) {
        try (OpenFile f = vfs.open(path, OpenFlags.O_RDONLY, 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = f.read(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (KernelException e) {
            if (e.errno() == Errno.EISDIR) {
                throw new KernelException(e.errno(), format.equals("%s") ? path : "error reading '" + path + "'");
            }
            throw new KernelException(e.errno(), String.format(format, path));
        }
    }

    /** One line of a stream with its newline, or the last bytes without one, or null at EOF. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n') {
                break;
            }
        }
        return c < 0 && line.size() == 0 ? null : line.toByteArray();
    }

    /** The lines of the data, each with its newline (the last one may have none). */
    static List<byte[]> lines(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(data, start, i + 1));
                start = i + 1;
            }
        }
        if (start < data.length) {
            out.add(java.util.Arrays.copyOfRange(data, start, data.length));
        }
        return out;
    }

    /** The offset at which line {@code index} (0-based) starts; the data's length past the last line. */
    static long lineStart(byte[] data, long index) {
        if (index <= 0) {
            return 0;
        }
        long seen = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' && ++seen == index) {
                return i + 1L;
            }
        }
        return data.length;
    }

    private static String text(byte[] raw) {
        int n = raw.length > 0 && raw[raw.length - 1] == '\n' ? raw.length - 1 : raw.length;
        return new String(raw, 0, n, StandardCharsets.UTF_8);
    }
}
