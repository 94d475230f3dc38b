package org.kmodel.cli.internal;

/**
 * Turns a failed command into the one line a user sees: {@code <command>: <what failed>: <strerror>}. The
 * text comes from the KernelException in the cause chain (found by class name, so this bundle needs no kmodel
 * import); Gogo's own failures (unknown command, wrong argument types, syntax) are mapped to shell wording.
 */
final class ErrorLine {
    static final String KERNEL_EXCEPTION = "org.kmodel.kernel.KernelException";
    static final String TOOL_ERROR = "org.kmodel.kernel.ToolErrorException";
    /** A command that has already reported its failure itself (grep without a match): no line. */
    static final String EXIT_STATUS = "org.kmodel.shell.internal.session.ExitStatus";

    /** A message ending in a strerror text: ": " then a capitalised phrase without a colon. */
    private static final java.util.regex.Pattern STRERROR_AT_END =
            java.util.regex.Pattern.compile("(?s)[^\n]*: [A-Z][A-Za-z /,'-]+");

    private ErrorLine() {}

    /**
     * The line to print, or {@code null} when the command already said why it failed. A failure that reaches the
     * runner is the last pipe element's (Gogo prints the others' itself, see {@link PipeErrors}), so the line
     * names that element: {@code dmesg | grep -Z x} is {@code grep: invalid option -- 'Z'}.
     */
    static String of(String command, Throwable t) {
        String name = Limits.clipName(Script.name(Redirection.lastElement(command)));
        if (find(t, EXIT_STATUS) != null || find(t, "java.lang.InterruptedException") != null) {
            return null; // already reported, or Ctrl-C: the terminal shows ^C, as a shell's does
        }
        Throwable tool = find(t, TOOL_ERROR);
        if (tool != null) {
            return tool.getMessage(); // already the real tool's own line (xfs_io's "fallocate: ...")
        }
        Throwable kernel = find(t, KERNEL_EXCEPTION);
        if (kernel != null) {
            return name + ": " + oneLine(String.valueOf(kernel.getMessage()), name);
        }
        if (find(t, "java.lang.StackOverflowError") != null) {
            return name + ": stack exhausted: Cannot allocate memory";
        }
        if (find(t, "java.lang.OutOfMemoryError") != null) {
            return name + ": out of memory: Cannot allocate memory";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String msg = String.valueOf(root.getMessage());
        if (msg.startsWith("Resolver hook prevented resolution")) {
            // kmodel's bundle gate: code that did not come through the module loader never resolves
            return name + ": code not loaded through the module loader (insmod) is not run: Operation not permitted";
        }
        if (msg.startsWith("Command not found: ")) {
            return msg.substring("Command not found: ".length()) + ": command not found";
        }
        if (msg.startsWith("Cannot coerce ")) {
            return name + ": wrong arguments (see 'help " + name.substring(name.lastIndexOf(':') + 1)
                    + "'): Invalid argument";
        }
        if (root instanceof java.io.EOFException
                || msg.startsWith("eof")
                || root.getClass().getName().endsWith("SyntaxError")) {
            return name + ": syntax error: " + Limits.clip(firstLine(root)) + ": Invalid argument";
        }
        if (STRERROR_AT_END.matcher(msg).matches()) {
            // already "what failed: strerror" (the feature manager's errors, which import no kmodel type)
            return name + ": " + Limits.clip(firstLine(root));
        }
        if (root instanceof IllegalArgumentException) {
            return name + ": " + Limits.clip(firstLine(root)) + ": Invalid argument";
        }
        // Anything else is a defect of the command, not of the input: still one line, named EIO as the kernel
        // reports an internal failure, with the Java type so that it can be reported (stack trace: --debug).
        return name + ": internal error: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + Limits.clip(firstLine(root))) + ": Input/output error";
    }

    /**
     * A message of several lines (an error and then a usage text, as coreutils prints "missing operand" and
     * "Try 'ln --help'") becomes one line: the first line, a pointer to help, and the strerror the message
     * ends with.
     */
    static String oneLine(String msg, String name) {
        int nl = msg.indexOf('\n');
        if (nl < 0) {
            return Limits.clip(msg);
        }
        String last = msg.strip();
        last = last.substring(last.lastIndexOf('\n') + 1);
        int colon = last.lastIndexOf(": ");
        String strerror =
                colon >= 0 && STRERROR_AT_END.matcher(last).matches() ? last.substring(colon) : ": Invalid argument";
        return Limits.clip(msg.substring(0, nl)) + " (see 'help " + name.substring(name.lastIndexOf(':') + 1) + "')"
                + strerror;
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static Throwable find(Throwable t, String className) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (Class<?> k = c.getClass(); k != null; k = k.getSuperclass()) {
                if (k.getName().equals(className)) {
                    return c;
                }
            }
        }
        return null;
    }
}
