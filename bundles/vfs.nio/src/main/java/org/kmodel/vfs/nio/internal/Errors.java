package org.kmodel.vfs.nio.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * errno to the java.nio exception a caller of {@code Files} expects. The cause is a {@link KernelException}
 * naming the path, so the shell prints {@code cmd: PATH: strerror} (it looks for the kernel exception in the
 * cause chain), and the reason is the strerror text, so a plain Java caller reads the same words.
 */
final class Errors {
    private Errors() {}

    static FileSystemException of(String path, KernelException e) {
        Errno errno = e.errno();
        String reason = errno.strerror();
        // toString() is the message: Gogo's commands print "cmd: " + exception, and a user reads the
        // kernel's words there, not a Java class name
        FileSystemException x =
                switch (errno) {
                    case ENOENT ->
                        new NoSuchFileException(path, null, reason) {
                            @Override
                            public String toString() {
                                return getMessage();
                            }
                        };
                    case EEXIST ->
                        new FileAlreadyExistsException(path, null, reason) {
                            @Override
                            public String toString() {
                                return getMessage();
                            }
                        };
                    case ENOTEMPTY ->
                        new DirectoryNotEmptyException(path) {
                            @Override
                            public String getMessage() {
                                return path + ": " + reason;
                            }

                            @Override
                            public String toString() {
                                return getMessage();
                            }
                        };
                    case EACCES, EPERM, EROFS ->
                        new AccessDeniedException(path, null, reason) {
                            @Override
                            public String toString() {
                                return getMessage();
                            }
                        };
                    case ENOTDIR ->
                        new NotDirectoryException(path) {
                            @Override
                            public String getMessage() {
                                return path + ": " + reason;
                            }

                            @Override
                            public String toString() {
                                return getMessage();
                            }
                        };
                    case ELOOP ->
                        new FileSystemLoopException(path) {
                            @Override
                            public String getMessage() {
                                return path + ": " + reason;
                            }

                            @Override
                            public String toString() {
                                return getMessage();
                            }
                        };
                    default ->
                        new FileSystemException(path, null, reason) {
                            @Override
                            public String toString() {
                                return getMessage();
                            }
                        };
                };
        x.initCause(new KernelException(errno, path, e));
        return x;
    }

    /** The errno of an exception this provider threw, or {@code null}. */
    static Errno errno(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KernelException k) {
                return k.errno();
            }
        }
        return null;
    }
}
