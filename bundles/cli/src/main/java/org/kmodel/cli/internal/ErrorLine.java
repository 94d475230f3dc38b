package org.kmodel.cli.internal;

/**
 * Turns a failed command into the one line a user sees: {@code <command>: <what failed>: <strerror>}. The
 * text comes from the KernelException in the cause chain (found by class name, so this bundle needs no kmodel
 * import); Gogo's own failures (unknown command, wrong argument types, syntax) are mapped to shell wording.
 */
final class ErrorLine {
    static final String KERNEL_EXCEPTION = "org.kmodel.kernel.KernelException";
    /** A command that has already reported its failure itself (grep without a match): no line. */
    static final String EXIT_STATUS = "org.kmodel.shell.internal.session.ExitStatus";

    private ErrorLine() {
    }

    /** The line to print, or {@code null} when the command already said why it failed. */
    static String of(String command, Throwable t) {
        String name = Script.name(command);
        if (find(t, EXIT_STATUS) != null || find(t, "java.lang.InterruptedException") != null) {
            return null; // already reported, or Ctrl-C: the terminal shows ^C, as a shell's does
        }
        Throwable kernel = find(t, KERNEL_EXCEPTION);
        if (kernel != null) {
            return name + ": " + kernel.getMessage();
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String msg = String.valueOf(root.getMessage());
        if (msg.startsWith("Command not found: ")) {
            return msg.substring("Command not found: ".length()) + ": command not found";
        }
        if (msg.startsWith("Cannot coerce ")) {
            return name + ": wrong arguments (see 'help " + name.replaceFirst(".*:", "") + "'): Invalid argument";
        }
        if (root instanceof java.io.EOFException || msg.startsWith("eof") || root.getClass().getName().endsWith("SyntaxError")) {
            return name + ": syntax error: " + msg;
        }
        if (root.getMessage() == null) {
            return name + ": " + root.getClass().getSimpleName();
        }
        return name + ": " + msg.split("\n")[0];
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
