package org.kmodel.shell.internal.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.spi.FileSystemType;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The distribution's {@code lib/modules} inside the model at {@code /lib/modules}, so {@code insmod
 * /lib/modules/$(uname -r)/extra/kmodel_oot.ko} and {@code modinfo} read model paths, as on a real system. It is
 * a copy on a tmpfs mounted there at boot, then remounted read-only, as a distribution's {@code /usr} often is:
 * {@code echo x > /lib/modules/x} fails with EROFS and nothing the model does can reach the host's files (a hostfs
 * mount would pass writes through), and it is fresh on every boot.
 */
@Component(immediate = true)
public class LibModules {
    static final String TARGET = "/lib/modules";

    @Activate
    public LibModules(
            @Reference Vfs vfs,
            @Reference(target = "(kmodel.fs.type=tmpfs)") FileSystemType tmpfs,
            @Reference KernelLog log,
            BundleContext context) {
        String home = context.getProperty("kmodel.home");
        // only in a kernel ./kmodel booted (it sets kmodel.cache): a Pax Exam framework keeps its exact mount table
        if (home == null
                || context.getProperty("kmodel.cache") == null
                || !Files.isDirectory(Paths.get(home, "lib", "modules"))) {
            return;
        }
        Path source = Paths.get(home, "lib", "modules");
        // The VFS learns about tmpfs from the service registry, possibly a moment after this component sees the
        // same service: wait briefly here (a -c line may insmod right after boot), else finish in the background.
        if (!awaitTmpfs(vfs, 1000)) {
            Thread t = new Thread(
                    () -> {
                        if (awaitTmpfs(vfs, 30_000)) {
                            populate(vfs, source, log);
                        }
                    },
                    "kmodel-lib-modules");
            t.setDaemon(true);
            t.start();
            return;
        }
        populate(vfs, source, log);
    }

    /**
     * The model path of a module file the loader names by its host path: a file of the distribution's
     * {@code lib/modules} is {@code /lib/modules/...} inside the model (its copy, above). Anything else, or without
     * a distribution ({@code home} null), is returned as it is.
     */
    public static String modelPath(String file, String home) {
        if (file == null || home == null) {
            return file;
        }
        Path f = Paths.get(file).normalize();
        Path source = Paths.get(home, "lib", "modules").toAbsolutePath().normalize();
        if (!f.isAbsolute() || !f.startsWith(source) || f.equals(source)) {
            return file;
        }
        return TARGET + "/" + source.relativize(f).toString().replace(java.io.File.separatorChar, '/');
    }

    private static boolean awaitTmpfs(Vfs vfs, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (vfs.filesystems().stream().noneMatch(f -> f.endsWith("\ttmpfs"))) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void populate(Vfs vfs, Path source, KernelLog log) {
        try {
            if (vfs.mounts().stream().noneMatch(m -> m.target().equals(TARGET))) {
                mountCopy(vfs, source, TARGET);
            }
        } catch (KernelException | UncheckedIOException e) {
            log.warn("lib/modules: not copied into /lib/modules: " + e.getMessage());
        }
    }

    /**
     * A tmpfs at {@code target} holding a copy of the host tree {@code source}, read-only: mounted, populated, then
     * remounted {@code ro} (do_remount; the copy closed every file, so nothing holds write access to the mount).
     */
    static void mountCopy(Vfs vfs, Path source, String target) {
        mkdirs(vfs, target);
        vfs.mount("modules", target, "tmpfs", "size=64m");
        copy(vfs, source, target);
        vfs.mount("modules", target, "tmpfs", "remount,ro");
    }

    static void mkdirs(Vfs vfs, String path) {
        StringBuilder sb = new StringBuilder();
        for (String c : path.split("/")) {
            if (c.isEmpty()) {
                continue;
            }
            sb.append('/').append(c);
            try {
                vfs.mkdir(sb.toString(), 0755);
            } catch (KernelException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw e;
                }
            }
        }
    }

    /** Copies the host tree {@code from} (read only) to the model directory {@code to}. */
    static void copy(Vfs vfs, Path from, String to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                String rel = from.relativize(p).toString();
                String dest = rel.isEmpty() ? to : to + "/" + rel;
                if (Files.isDirectory(p)) {
                    if (!rel.isEmpty()) {
                        vfs.mkdir(dest, 0755);
                    }
                } else if (Files.isRegularFile(p)) {
                    byte[] data = Files.readAllBytes(p);
                    try (OpenFile f =
                            vfs.open(dest, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, 0644)) {
                        f.write(data, 0, data.length);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
