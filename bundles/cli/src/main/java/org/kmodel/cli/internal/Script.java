package org.kmodel.cli.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line or script into commands at top-level {@code ;} and newlines, the way a shell does:
 * separators inside quotes, braces, brackets or parentheses do not split; {@code #} starts a comment at the
 * beginning of a command.
 */
final class Script {
    private Script() {}

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                cur.append(c);
                if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '#' && cur.toString().isBlank()) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
                continue;
            }
            if ((c == ';' || c == '\n') && depth == 0) {
                add(out, cur);
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
                depth--;
            }
            cur.append(c);
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
        cur.setLength(0);
    }

    /** The command's name as the user typed it: its first word. */
    static String name(String command) {
        String s = command.strip();
        int end = 0;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        return s.substring(0, end);
    }
}
