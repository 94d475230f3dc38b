package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;

/**
 * Parses one entry of a module's {@code Kmodel-Tracepoints} manifest header, the model's
 * {@code TRACE_EVENT()} in a module: {@code system:event(type name, ...)} optionally followed by a
 * quoted {@code TP_printk} format, e.g. {@code kmodel_sample:sample_event(int count, String msg)
 * "count=%d msg=%s"}. A multi-word type ({@code unsigned long addr}) ends at the last word.
 */
final class TracepointDeclaration {
    private TracepointDeclaration() {}

    static TraceEventDefinition parse(String declaration, String owner) {
        String d = declaration.trim();
        int colon = d.indexOf(':');
        int open = d.indexOf('(');
        int close = open < 0 ? -1 : d.indexOf(')', open);
        if (colon <= 0 || (open >= 0 && (close < open || colon > open))) {
            throw bad(declaration);
        }
        String system = d.substring(0, colon).trim();
        String name = (open < 0 ? d.substring(colon + 1) : d.substring(colon + 1, open)).trim();
        List<TraceField> fields = open < 0 ? List.of() : fields(d.substring(open + 1, close), declaration);
        String format = null;
        String rest = open < 0 ? "" : d.substring(close + 1).trim();
        if (!rest.isEmpty()) {
            if (rest.length() < 2 || rest.charAt(0) != '"' || rest.charAt(rest.length() - 1) != '"') {
                throw bad(declaration);
            }
            format = rest.substring(1, rest.length() - 1);
        }
        return new TraceEventDefinition(system, name, fields, format, owner);
    }

    private static List<TraceField> fields(String list, String declaration) {
        List<TraceField> out = new ArrayList<>();
        if (list.isBlank()) {
            return out;
        }
        for (String f : list.split(",")) {
            String t = f.trim();
            int space = t.lastIndexOf(' ');
            if (space <= 0) {
                throw bad(declaration);
            }
            out.add(new TraceField(
                    t.substring(0, space).trim(), t.substring(space + 1).trim()));
        }
        return out;
    }

    private static KernelException bad(String declaration) {
        return new KernelException(Errno.EINVAL, "bad tracepoint declaration '" + declaration + "'");
    }
}
