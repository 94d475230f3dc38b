package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;

/**
 * A checked trace event definition with its id, field layout and compiled print format
 * ({@code struct ftrace_event_call} + {@code struct ftrace_event_class}, kernel/trace/trace_events.c).
 * Produces the {@code format} file the way {@code f_show()} prints it.
 */
final class TraceEventType {
    static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The common fields every event starts with ({@code struct trace_entry}, 3.15). */
    private static final String COMMON_FIELDS = ""
            + "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
            + "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
            + "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
            + "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n";

    private static final int COMMON_SIZE = 8;

    private final TraceEventDefinition definition;
    private final int id;
    private final List<FieldType> types;
    private final PrintkFormat format;

    TraceEventType(TraceEventDefinition definition, int id) {
        this.definition = definition;
        this.id = id;
        checkName("system", definition.system());
        checkName("event", definition.name());
        List<FieldType> t = new ArrayList<>();
        for (TraceField f : definition.fields()) {
            checkName("field", f.name());
            t.add(FieldType.of(f.type()));
        }
        this.types = List.copyOf(t);
        this.format =
                PrintkFormat.compile(definition.printFormat() != null ? definition.printFormat() : defaultFormat());
        if (format.conversions() != types.size()) {
            throw new KernelException(
                    Errno.EINVAL,
                    "print format of " + definition.fullName() + " has " + format.conversions() + " conversions for "
                            + types.size() + " fields");
        }
    }

    private static void checkName(String what, String name) {
        if (name == null || !IDENT.matcher(name).matches()) {
            throw new KernelException(Errno.EINVAL, "bad trace " + what + " name '" + name + "'");
        }
    }

    private String defaultFormat() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(definition.fields().get(i).name())
                    .append('=')
                    .append(types.get(i).defaultConversion());
        }
        return sb.toString();
    }

    TraceEventDefinition definition() {
        return definition;
    }

    int id() {
        return id;
    }

    String render(Object[] fields) {
        return format.render(fields);
    }

    /** Same system, name and field types (a re-definition that is accepted as the same event). */
    boolean sameShape(TraceEventDefinition other) {
        return definition.system().equals(other.system())
                && definition.name().equals(other.name())
                && definition.fields().equals(other.fields());
    }

    /** The {@code events/<system>/<event>/format} file. */
    String formatFile() {
        StringBuilder sb = new StringBuilder();
        sb.append("name: ").append(definition.name()).append('\n');
        sb.append("ID: ").append(id).append('\n');
        sb.append("format:\n").append(COMMON_FIELDS).append('\n');
        int offset = COMMON_SIZE;
        for (int i = 0; i < types.size(); i++) {
            FieldType t = types.get(i);
            offset = (offset + t.size() - 1) / t.size() * t.size(); // natural alignment, as the C struct
            sb.append("\tfield:")
                    .append(t.cName())
                    .append(' ')
                    .append(definition.fields().get(i).name())
                    .append(";\toffset:")
                    .append(offset)
                    .append(";\tsize:")
                    .append(t.size())
                    .append(";\tsigned:")
                    .append(t.signed() ? 1 : 0)
                    .append(";\n");
            offset += t.size();
        }
        sb.append('\n')
                .append("print fmt: \"")
                .append(format.source().replace("\"", "\\\""))
                .append('"');
        for (int i = 0; i < types.size(); i++) {
            String name = definition.fields().get(i).name();
            sb.append(", ").append(types.get(i).string() ? "__get_str(" + name + ")" : "REC->" + name);
        }
        return sb.append('\n').toString();
    }
}
