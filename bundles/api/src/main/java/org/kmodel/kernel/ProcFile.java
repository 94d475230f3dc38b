package org.kmodel.kernel;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A file of /proc or /sys, registered by the subsystem that owns it (the whiteboard the kernel's
 * proc_create()/sysctl tables are). Registered as an OSGi service with the property
 * {@value #PATH} naming its absolute path, for example {@code /proc/sys/kernel/tainted}.
 * Paths containing a {@code *} component (such as {@code /proc/*}{@code /maps}) are patterns;
 * the matched component is passed to {@link #read(String)} and {@link #write(String, String)}.
 */
@ConsumerType
public interface ProcFile {
    /** Service property: the absolute path of the file. */
    String PATH = "kmodel.proc.path";

    /** The whole content, as {@code cat} prints it (normally ending with a newline). */
    String read(String wildcard);

    /** Writes the content; the default refuses with EACCES, as a read-only proc file does. */
    default void write(String wildcard, String content) {
        throw new KernelException(Errno.EACCES, "write");
    }

    default boolean writable() {
        return false;
    }

    /**
     * The file was opened with {@code O_TRUNC} ({@code echo x > file}, not {@code >>}); the write, if any,
     * follows. The default ignores it, as most proc and sysfs files do; ftrace's filter files reset their
     * list (kernel/trace/ftrace.c {@code ftrace_regex_open}).
     */
    default void truncate(String wildcard) {}

    /**
     * For a pattern: the values its {@code *} stands for now (the PIDs of /proc/{@code *}, the modules of
     * /sys/module/{@code *}), so that directory listings show them, as {@code proc_pid_readdir} and the
     * module kobjects do. The default, an empty list, lists nothing (lookups still reach {@link #read}).
     */
    default java.util.List<String> instances() {
        return java.util.List.of();
    }

    /**
     * A file made of two functions, as most tracefs and sysfs files are: its content is {@code read} of the
     * wildcard; it is writable when {@code write} is not null, which gets the wildcard and the content written
     * (else a write fails EACCES, as {@link #write} does by default).
     */
    static ProcFile of(Function<String, String> read, BiConsumer<String, String> write) {
        return of(read, write, null);
    }

    /** The same, and {@code truncate} (when not null) gets the wildcard of an open with {@code O_TRUNC}. */
    static ProcFile of(Function<String, String> read, BiConsumer<String, String> write, Consumer<String> truncate) {
        return new ProcFile() {
            @Override
            public String read(String wildcard) {
                return read.apply(wildcard);
            }

            @Override
            public void write(String wildcard, String content) {
                if (write == null) {
                    ProcFile.super.write(wildcard, content);
                } else {
                    write.accept(wildcard, content);
                }
            }

            @Override
            public boolean writable() {
                return write != null;
            }

            @Override
            public void truncate(String wildcard) {
                if (truncate != null) {
                    truncate.accept(wildcard);
                }
            }
        };
    }
}
