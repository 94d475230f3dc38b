package org.kmodel.shell.internal.vfs;

import org.kmodel.shell.internal.Getopt;

/**
 * How ls prints a name with control characters (coreutils src/ls.c, quotearg). GNU ls hides them as {@code ?}
 * by default only when standard output is a terminal ({@code qmark_funny_chars = isatty (STDOUT_FILENO)} in
 * {@code decode_switches}); otherwise, as for a pipe or a file, it prints the name's bytes as they are
 * ("literal" quoting style). A kmodel command returns its output as a value and cannot know where it ends up,
 * so {@code ls} does what GNU ls does for output that is not a terminal: literal ({@code -N}); {@code -q}
 * ({@code --hide-control-chars}) prints each control character as {@code ?}, {@code -b} ({@code --escape})
 * as a C escape ({@code \n}, {@code \t}, else {@code \ooo} octal), with spaces and backslashes escaped too,
 * as coreutils' "escape" style does. The last of -q, -b, -N on the command line wins in GNU ls; here -b wins
 * over -q, and either over -N.
 */
final class LsQuoting {
    private LsQuoting() {}

    static String quote(String name, Getopt o) {
        if (o.has('b')) {
            return escape(name);
        }
        if (o.has('q')) {
            return hide(name);
        }
        return name;
    }

    static String hide(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }

    static String escape(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '\\':
                    sb.append("\\\\");
                    break;
                case ' ':
                    sb.append("\\ ");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case 0x07:
                    sb.append("\\a");
                    break;
                case 0x0b:
                    sb.append("\\v");
                    break;
                default:
                    if (Character.isISOControl(c)) {
                        sb.append(String.format("\\%03o", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }
}
