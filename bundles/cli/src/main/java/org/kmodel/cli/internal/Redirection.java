package org.kmodel.cli.internal;

/**
 * Makes {@code cmd > FILE} put the command's <em>result</em> into FILE. Gogo prints the value a command returns
 * only between pipe elements; at the end of a pipe the caller prints it, on the terminal, past the
 * redirection. kmodel's commands return their output (lsmod, ls, cat ...), so a line whose last pipe element
 * redirects stdout gets {@code | shell:drain} appended: the element is no longer the last, Gogo writes its result
 * into its (redirected) stdout, and {@code drain} swallows the copy that Gogo's multios also sends down the pipe.
 */
final class Redirection {
    static final String DRAIN = " | shell:drain";

    private Redirection() {}

    static String prepare(String command) {
        return redirectsStdout(lastElement(command)) ? command + DRAIN : command;
    }

    /** The text after the last top-level {@code |}. */
    static String lastElement(String command) {
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
                depth--;
            } else if (c == '|' && depth == 0) {
                start = i + 1;
            }
        }
        return command.substring(start);
    }

    /** Whether the element has a top-level {@code >}, {@code >>}, {@code 1>} or {@code &>} to a file. */
    static boolean redirectsStdout(String element) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
                depth--;
            } else if (c == '>' && depth == 0) {
                char prev = i > 0 ? element.charAt(i - 1) : ' ';
                char next = i + 1 < element.length() ? element.charAt(i + 1) : ' ';
                if (prev == '>' || prev == '<') {
                    continue; // the second '>' of '>>', or '<>'
                }
                if (next == '&') {
                    continue; // >&2: a duplication, not a file
                }
                if (Character.isDigit(prev) && prev != '1') {
                    continue; // 2> FILE: stderr only
                }
                return true;
            }
        }
        return false;
    }
}
