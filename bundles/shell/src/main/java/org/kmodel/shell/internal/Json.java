package org.kmodel.shell.internal;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * The {@code --json} form of a command's data: records (by component), maps, collections, strings, numbers,
 * booleans and enums (by name), compact, one document per call. Records are the commands' data, so the JSON is
 * what a test asserts on and a script consumes; the text layout is the real tool's and rendered separately.
 */
public final class Json {
    private Json() {}

    public static String of(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String || v instanceof Character || v instanceof Enum<?>) {
            string(sb, v instanceof Enum<?> e ? e.name() : v.toString());
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                sb.append(first ? "" : ",");
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else if (v.getClass().isRecord()) {
            sb.append('{');
            boolean first = true;
            for (RecordComponent rc : v.getClass().getRecordComponents()) {
                sb.append(first ? "" : ",");
                first = false;
                string(sb, rc.getName());
                sb.append(':');
                try {
                    rc.getAccessor().setAccessible(true);
                    write(sb, rc.getAccessor().invoke(v));
                } catch (ReflectiveOperationException e) {
                    sb.append("null");
                }
            }
            sb.append('}');
        } else {
            string(sb, v.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
