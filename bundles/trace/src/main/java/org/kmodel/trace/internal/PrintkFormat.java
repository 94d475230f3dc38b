package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * A compiled {@code TP_printk} format (lib/vsprintf.c conversions, the subset trace events use):
 * flags {@code -0#+ }, width, length modifiers {@code h hh l ll z}, conversions {@code d i u x X o c s p}
 * and {@code %pf}/{@code %pF}/{@code %pS} (a symbol name, given as a String). Each conversion consumes
 * the next field in declaration order. Rendering happens when the buffer is read, never at the call site.
 */
final class PrintkFormat {
    private sealed interface Part permits Text, Conv {}

    private record Text(String text) implements Part {}

    private record Conv(String flags, String width, char conv, boolean symbol, int length) implements Part {}

    private final String source;
    private final List<Part> parts;
    private final int conversions;

    private PrintkFormat(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
        this.conversions = (int) parts.stream().filter(p -> p instanceof Conv).count();
    }

    String source() {
        return source;
    }

    int conversions() {
        return conversions;
    }

    static PrintkFormat compile(String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i++);
            if (c != '%') {
                text.append(c);
                continue;
            }
            if (i < n && format.charAt(i) == '%') {
                text.append('%');
                i++;
                continue;
            }
            int start = i;
            while (i < n && "-0#+ ".indexOf(format.charAt(i)) >= 0) {
                i++;
            }
            String flags = format.substring(start, i);
            start = i;
            while (i < n && Character.isDigit(format.charAt(i))) {
                i++;
            }
            String width = format.substring(start, i);
            int length = 0;
            while (i < n && "hlzLjt".indexOf(format.charAt(i)) >= 0) {
                length++;
                i++;
            }
            if (i >= n || "diuxXocsp".indexOf(format.charAt(i)) < 0) {
                throw new KernelException(Errno.EINVAL, "bad conversion in print format '" + format + "'");
            }
            char conv = format.charAt(i++);
            boolean symbol = false;
            if (conv == 'p' && i < n && "fFsS".indexOf(format.charAt(i)) >= 0) {
                symbol = true;
                i++;
            }
            if (text.length() > 0) {
                parts.add(new Text(text.toString()));
                text.setLength(0);
            }
            parts.add(new Conv(flags, width, conv, symbol, length));
        }
        if (text.length() > 0) {
            parts.add(new Text(text.toString()));
        }
        return new PrintkFormat(format, List.copyOf(parts));
    }

    /** Renders the fields; a missing or mistyped value prints as the kernel's {@code (null)}/raw text. */
    String render(Object[] fields) {
        StringBuilder sb = new StringBuilder();
        int next = 0;
        for (Part p : parts) {
            if (p instanceof Text t) {
                sb.append(t.text());
            } else {
                Object v = next < fields.length ? fields[next] : null;
                next++;
                sb.append(convert((Conv) p, v));
            }
        }
        return sb.toString();
    }

    private static String convert(Conv c, Object v) {
        if (v == null) {
            return pad(c, "(null)");
        }
        String body;
        switch (c.conv()) {
            case 'd', 'i' -> body = v instanceof Number n ? Long.toString(n.longValue()) : bool(v);
            case 'u' -> body = v instanceof Number n ? unsigned(n, c.length()) : bool(v);
            case 'x', 'X', 'o', 'p' -> body = radix(c, v);
            case 'c' -> body = v instanceof Number n ? String.valueOf((char) n.intValue()) : String.valueOf(v);
            default -> body = String.valueOf(v);
        }
        return pad(c, body);
    }

    private static String bool(Object v) {
        return v instanceof Boolean b ? (b ? "1" : "0") : String.valueOf(v);
    }

    private static String unsigned(Number n, int length) {
        long x = n.longValue();
        if (length == 0 && (n instanceof Integer || n instanceof Short || n instanceof Byte)) {
            return Long.toString(x & 0xffff_ffffL);
        }
        return Long.toUnsignedString(x);
    }

    private static String radix(Conv c, Object v) {
        if (c.symbol()) {
            return String.valueOf(v);
        }
        if (!(v instanceof Number n)) {
            return String.valueOf(v);
        }
        long x = n.longValue();
        if (c.length() == 0 && c.conv() != 'p' && n instanceof Integer) {
            x &= 0xffff_ffffL;
        }
        String s = c.conv() == 'o' ? Long.toOctalString(x) : Long.toHexString(x);
        if (c.conv() == 'X') {
            s = s.toUpperCase(java.util.Locale.ROOT);
        }
        if (c.conv() == 'p') {
            return "0x" + s; // %p prints the raw address in a 3.15 trace (no hashing before 4.15)
        }
        if (c.flags().indexOf('#') >= 0 && x != 0) {
            s = (c.conv() == 'o' ? "0" : "0x") + s;
        }
        return s;
    }

    private static String pad(Conv c, String body) {
        if (c.width().isEmpty()) {
            return body;
        }
        int w = Integer.parseInt(c.width());
        if (body.length() >= w) {
            return body;
        }
        String fill = (c.flags().indexOf('0') >= 0 && c.flags().indexOf('-') < 0 && c.conv() != 's') ? "0" : " ";
        String padding = fill.repeat(w - body.length());
        if (c.flags().indexOf('-') >= 0) {
            return body + padding;
        }
        if (fill.equals("0") && body.startsWith("-")) {
            return "-" + padding + body.substring(1);
        }
        return padding + body;
    }
}
