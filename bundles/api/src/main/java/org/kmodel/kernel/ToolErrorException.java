package org.kmodel.kernel;

/**
 * A failure whose message is already the exact line the real tool prints, with no command name in front:
 * xfs_io prints {@code fallocate: Invalid argument}, not {@code xfs_io: fallocate: ...}. The shell and the
 * {@code ./kmodel -c} runner print {@link #getMessage()} as it is.
 */
public class ToolErrorException extends KernelException {
    private static final long serialVersionUID = 1L;

    private final String line;

    /** {@code line} is printed verbatim; {@code errno} is what the command failed with. */
    public ToolErrorException(Errno errno, String line) {
        super(errno, line);
        this.line = line;
    }

    @Override
    public String getMessage() {
        return line;
    }
}
