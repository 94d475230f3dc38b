package org.kmodel.module;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where a module file named on a command line is, for every command that reads one ({@code insmod},
 * {@code modinfo}, {@code kpatch load}, ...), so they all agree before {@link ModuleLoader#insmod(Path, boolean,
 * java.util.List)} reads it.
 */
public final class ModuleFiles {
    private ModuleFiles() {}

    /**
     * The file {@code file} names for a shell whose current directory is {@code cwd} (null: no session). A path of
     * the model when {@code cwd} is on the model's file system (issue 11: the distribution's modules are at
     * {@code /lib/modules} inside the model), so {@code insmod /lib/modules/...} reads the model's file.
     * Transitional: an absolute path the model does not have but the host does is read from the host, as the
     * integration tests load the modules they build that way; a script should use {@code /lib/modules} or a
     * hostfs mount. Without a model directory, a host path.
     */
    public static Path resolve(Path cwd, String file) {
        if (cwd != null && cwd.getFileSystem() != FileSystems.getDefault()) {
            Path model = cwd.resolve(file);
            if (Files.exists(model) || !file.startsWith("/") || !Files.exists(Paths.get(file))) {
                return model;
            }
        }
        return Paths.get(file);
    }
}
