package org.kmodel.kernel;

/** Test double with the API's class name: the cli finds KernelException by name, not by import. */
public class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelException(String message) {
        super(message);
    }
}
