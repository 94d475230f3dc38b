package org.kmodel.kernel;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads and writes the {@link ProcFile} whiteboard by path, the way {@code cat} and {@code echo >} reach
 * /proc and /sys. Exact paths win over {@code *} patterns.
 */
@ProviderType
public interface ProcFs {
    /** @throws KernelException ENOENT if no file has this path */
    String read(String path);

    /** @throws KernelException ENOENT if no file has this path, EACCES if it is read-only */
    void write(String path, String content);

    /** The file was opened with O_TRUNC ({@link ProcFile#truncate}); nothing if no file has this path. */
    default void truncate(String path) {}

    /** Every registered path (patterns as registered), sorted. */
    List<String> paths();

    /**
     * The values the {@code *} of a registered pattern stands for now ({@link ProcFile#instances()} of every
     * file registered under it), sorted; empty for an exact path or a pattern whose files list nothing.
     */
    default List<String> instances(String pattern) {
        return List.of();
    }
}
