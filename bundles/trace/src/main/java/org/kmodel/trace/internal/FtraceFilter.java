package org.kmodel.trace.internal;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * {@code set_ftrace_filter} (kernel/trace/ftrace.c {@code ftrace_regex_open}, {@code ftrace_regex_write},
 * {@code ftrace_match_records}, {@code filter_parse_regex}): the functions the function tracers trace, empty
 * meaning all. A write is whitespace-separated globs ({@code *}, {@code ?}, {@code [...]}) matched against the
 * function names of available_filter_functions; {@code !glob} removes what it matches. Opened with
 * {@code O_TRUNC} ({@code >}) the list is first emptied, with {@code >>} the write adds to it. A glob that
 * matches no function fails the write with EINVAL; the model checks every glob before it changes anything (the
 * kernel keeps the entries before the bad one, and a {@code >} that fails has emptied the list). Commands
 * ({@code func:mod:...}) are not modelled: EINVAL.
 */
final class FtraceFilter {
    static final String ALL = "#### all functions enabled ####\n";

    private final Supplier<List<String>> available;
    private final TreeSet<String> filter = new TreeSet<>();
    /** Set by the O_TRUNC open of the writing thread, consumed by its write. */
    private final ThreadLocal<Boolean> truncated = new ThreadLocal<>();

    FtraceFilter(Supplier<List<String>> available) {
        this.available = available;
    }

    synchronized String read() {
        if (filter.isEmpty()) {
            return ALL;
        }
        StringBuilder sb = new StringBuilder();
        filter.forEach(f -> sb.append(f).append('\n'));
        return sb.toString();
    }

    /** The selection for the tracer: null for all functions. */
    synchronized Set<String> selection() {
        return filter.isEmpty() ? null : Set.copyOf(filter);
    }

    void truncate() {
        truncated.set(Boolean.TRUE);
    }

    /** A write; returns true if the list changed. */
    synchronized boolean write(String content) {
        boolean reset = truncated.get() != null;
        truncated.remove();
        List<String> functions = available.get();
        TreeSet<String> next = reset ? new TreeSet<>() : new TreeSet<>(filter);
        for (String token : content.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            boolean remove = token.startsWith("!");
            String glob = remove ? token.substring(1) : token;
            if (glob.contains(":")) {
                throw new KernelException(Errno.EINVAL, "set_ftrace_filter: commands are not modelled: " + token);
            }
            Pattern p = glob(glob);
            List<String> hit =
                    functions.stream().filter(f -> p.matcher(name(f)).matches()).toList();
            if (hit.isEmpty()) {
                throw new KernelException(Errno.EINVAL, "set_ftrace_filter: no function matches '" + glob + "'");
            }
            if (remove) {
                next.removeAll(hit);
            } else {
                next.addAll(hit);
            }
        }
        boolean changed = !next.equals(filter);
        filter.clear();
        filter.addAll(next);
        return changed;
    }

    /** The symbol of an available_filter_functions line ("name" or "name [module]"). */
    static String name(String entry) {
        int sp = entry.indexOf(' ');
        return sp < 0 ? entry : entry.substring(0, sp);
    }

    /** glob_match's language: {@code *}, {@code ?}, {@code [set]}; everything else literal. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inSet = false;
        for (char c : glob.toCharArray()) {
            if (inSet) {
                re.append(c == '\\' ? "\\\\" : String.valueOf(c));
                if (c == ']') {
                    inSet = false;
                }
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                re.append('[');
                inSet = true;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inSet) {
            throw new KernelException(Errno.EINVAL, "set_ftrace_filter: unterminated [ in '" + glob + "'");
        }
        return Pattern.compile(re.toString());
    }
}
