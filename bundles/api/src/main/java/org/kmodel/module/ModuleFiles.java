package org.kmodel.module;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * Where a module file named on a command line is, for every command that reads one ({@code insmod},
 * {@code modinfo}, {@code kpatch load}, ...), so they all agree before {@link ModuleLoader#insmod(Path, boolean,
 * java.util.List)} reads it.
 */
public final class ModuleFiles {
    private ModuleFiles() {}

    /**
     * The file {@code file} names for a shell whose current directory is {@code cwd}: a path of the model, resolved
     * against {@code cwd} (issue 11: the distribution's modules are at {@code /lib/modules} inside the model, and a
     * host file is reached only through a hostfs mount). A session whose directory is not on the model's file
     * system has no module files at all ({@code ENOENT}): a command line never reads a host file by its name.
     * Without a session ({@code cwd} null: a Java caller, not a command line), the path as given.
     *
     * @throws KernelException {@code ENOENT} when {@code cwd} is a host path
     */
    public static Path resolve(Path cwd, String file) {
        if (cwd == null) {
            return Paths.get(file);
        }
        if (cwd.getFileSystem() == FileSystems.getDefault()) {
            throw new KernelException(Errno.ENOENT, file);
        }
        return cwd.resolve(file);
    }
}
