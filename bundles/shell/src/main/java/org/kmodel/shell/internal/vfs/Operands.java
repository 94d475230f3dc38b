package org.kmodel.shell.internal.vfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.session.ExitStatus;

/**
 * The output of a command that goes on past a bad operand, as coreutils' cat and ls do: the good operands' output
 * on stdout, one line {@code tool: what: strerror} per bad operand on stderr, in the order the tool prints them,
 * and a failure status. Without a bad operand the output is the command's value, as before; a single bad operand
 * and no output is the one KernelException the runner prints.
 */
final class Operands {
    private final String tool;
    /** byte[] for stdout, KernelException for an error line, in order. */
    private final List<Object> parts = new ArrayList<>();

    private final List<KernelException> errors = new ArrayList<>();
    private boolean output;

    Operands(String tool) {
        this.tool = tool;
    }

    void out(byte[] b) {
        if (b.length > 0) {
            parts.add(b);
            output = true;
        }
    }

    void out(String s) {
        out(s.getBytes(StandardCharsets.UTF_8));
    }

    void error(KernelException e) {
        parts.add(e);
        errors.add(e);
    }

    /**
     * The command's value (its output without the last newline, which the runner adds), or, after a bad operand,
     * everything written to {@code out} and {@code err} and an {@link ExitStatus} of {@code status} thrown.
     */
    String finish(OutputStream out, OutputStream err, int status) {
        if (errors.isEmpty()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (Object p : parts) {
                all.writeBytes((byte[]) p);
            }
            return Formats.strip(all.toString(StandardCharsets.UTF_8));
        }
        if (errors.size() == 1 && !output) {
            throw errors.get(0);
        }
        write(out, err);
        throw new ExitStatus(status);
    }

    /** Everything in order: the output to {@code out}, one {@code tool: what: strerror} line per error to {@code err}. */
    void write(OutputStream out, OutputStream err) {
        try {
            for (Object p : parts) {
                if (p instanceof byte[] b) {
                    out.write(b);
                    out.flush();
                } else {
                    err.write(
                            (tool + ": " + ((KernelException) p).getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                    err.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The running command's stdout (a pipe, a redirection) or System.out outside Gogo. */
    static PrintStream stdout() {
        org.apache.felix.service.command.Process p = org.apache.felix.service.command.Process.Utils.current();
        return p != null ? p.out() : System.out;
    }

    /** The running command's stderr ({@code 2>} included) or System.err outside Gogo. */
    static PrintStream stderr() {
        org.apache.felix.service.command.Process p = org.apache.felix.service.command.Process.Utils.current();
        return p != null ? p.err() : System.err;
    }
}
