package org.kmodel.kernel;

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
    default void truncate(String wildcard) {
    }

    /**
     * For a pattern: the values its {@code *} stands for now (the PIDs of /proc/{@code *}, the modules of
     * /sys/module/{@code *}), so that directory listings show them, as {@code proc_pid_readdir} and the
     * module kobjects do. The default, an empty list, lists nothing (lookups still reach {@link #read}).
     */
    default java.util.List<String> instances() {
        return java.util.List.of();
    }
}
