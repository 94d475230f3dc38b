package org.kmodel.kernel;

import java.util.Objects;

/**
 * The one exception of the model: an operation failed with an errno, as a system call returns
 * {@code -errno}. The message says what failed ("fallocate failed"); {@link #getMessage()} appends the
 * strerror text the way the real tools print it ({@code fallocate failed: Operation not supported}).
 * No state may have changed when this is thrown.
 */
public class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String what;

    public KernelException(Errno errno, String what) {
        super(what == null ? errno.strerror() : what + ": " + errno.strerror());
        this.errno = Objects.requireNonNull(errno, "errno");
        this.what = what;
    }

    public KernelException(Errno errno) {
        this(errno, null);
    }

    public KernelException(Errno errno, String what, Throwable cause) {
        this(errno, what);
        initCause(cause);
    }

    public Errno errno() {
        return errno;
    }

    /**
     * Just the message ("what failed: strerror"): the interactive shell prints {@code toString()} of a failed
     * command's exception, and a user should read the kernel's words there, not a Java class name.
     */
    @Override
    public String toString() {
        return getMessage();
    }

    /** What failed, without the strerror text; may be {@code null}. */
    public String what() {
        return what;
    }
}
