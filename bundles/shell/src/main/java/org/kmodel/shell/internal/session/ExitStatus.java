package org.kmodel.shell.internal.session;

/**
 * A command ended with a non-zero status and has already said why (or, like grep without a match, has nothing
 * to say): the runner counts the failure and prints no further line. The class name is the contract with the
 * command runner, which imports no kmodel package.
 */
public final class ExitStatus extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ExitStatus(int status) {
        super("exit status " + status, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
