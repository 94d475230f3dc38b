package org.kmodel.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The content fixtures of the fallocate tests. The "pattern" file of the kernel matrix (docs/vfs.md, the errno
 * matrix) has every 8-byte word hold its own offset (little-endian), so after a collapse or insert the content
 * tells where each byte came from.
 */
public final class Patterns {
    private Patterns() {}

    /** {@code len} bytes of the pattern starting at file offset {@code from}. */
    public static byte[] patternBytes(long from, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            long p = from + i;
            long word = p & ~7L;
            b[i] = (byte) (word >>> (8 * (p & 7)));
        }
        return b;
    }

    /** The errno of the {@link KernelException} that {@code r} must throw. */
    public static Errno errno(Runnable r) {
        return assertThrows(KernelException.class, r::run).errno();
    }
}
