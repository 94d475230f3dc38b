package org.kmodel.cli.internal;

/**
 * Bounds on what the shell accepts, checked before Gogo parses a command, so that no input can exhaust the
 * parser's stack or the heap: a command line is at most {@value #MAX_COMMAND} characters (the kernel's
 * {@code MAX_ARG_STRLEN}, include/uapi/linux/binfmts.h: the longest single argument execve takes) and brackets
 * ({@code ( [ {}) nest at most {@value #MAX_DEPTH} deep outside quotes (Gogo's parser recurses once per level).
 * Both are refused with {@code E2BIG}, "Argument list too long", as execve refuses an over-long argument.
 */
final class Limits {
    static final int MAX_COMMAND = 32 * 4096;
    static final int MAX_DEPTH = 64;
    /** Error lines quote at most this much of the input. */
    static final int MAX_QUOTE = 200;

    private Limits() {}

    /** Why {@code command} is refused (the text after {@code name: }), or null if it is within the bounds. */
    static String check(String command) {
        if (command.length() > MAX_COMMAND) {
            return "command line longer than " + MAX_COMMAND + " characters: Argument list too long";
        }
        if (depth(command) > MAX_DEPTH) {
            return "brackets nested deeper than " + MAX_DEPTH + " levels: Argument list too long";
        }
        return null;
    }

    /** The deepest nesting of ( [ { outside single and double quotes. */
    static int depth(String s) {
        int depth = 0;
        int max = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\\') {
                i++;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return max;
    }

    /** A command name longer than this is cut in an error line. */
    static final int MAX_NAME = 40;

    /** At most {@value #MAX_NAME} characters of a command name, for the start of an error line. */
    static String clipName(String name) {
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME) + "...";
    }

    /** At most {@value #MAX_QUOTE} characters of {@code s}, for quoting user input in an error line. */
    static String clip(String s) {
        return s.length() <= MAX_QUOTE ? s : s.substring(0, MAX_QUOTE) + "...";
    }
}
