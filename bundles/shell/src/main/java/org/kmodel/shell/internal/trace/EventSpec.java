package org.kmodel.shell.internal.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.kmodel.trace.TraceEventInfo;

/**
 * trace-cmd's {@code -e} argument (trace-record.c {@code expand_event}): {@code system:event},
 * {@code system} alone, or {@code event} alone, each part a glob ({@code *}, {@code ?}).
 */
final class EventSpec {
    private EventSpec() {}

    static List<TraceEventInfo> select(String spec, List<TraceEventInfo> events) {
        List<TraceEventInfo> out = new ArrayList<>();
        int colon = spec.indexOf(':');
        for (TraceEventInfo e : events) {
            String sys = e.definition().system();
            String name = e.definition().name();
            boolean match = colon >= 0
                    ? glob(spec.substring(0, colon)).matcher(sys).matches()
                            && glob(spec.substring(colon + 1)).matcher(name).matches()
                    : glob(spec).matcher(sys).matches()
                            || glob(spec).matcher(name).matches();
            if (match) {
                out.add(e);
            }
        }
        return out;
    }

    static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : (g.isEmpty() ? "*" : g).toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }
}
