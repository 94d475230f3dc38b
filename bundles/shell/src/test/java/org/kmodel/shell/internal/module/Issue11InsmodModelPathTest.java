package org.kmodel.shell.internal.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleLoader;

/**
 * Issue 11: {@code insmod FILE} and {@code modinfo FILE} read the model's file, never the host's. A host file exists
 * at the very path the command is given; the session's directory is on another {@code java.nio} file system (a zip
 * file system stands for kmodel's) that lacks it: insmod fails as kmod does for a missing file and the loader is
 * never asked to read anything.
 */
class Issue11InsmodModelPathTest {
    @TempDir
    Path host;

    private FileSystem model;
    private final List<Object> calls = new ArrayList<>();

    @BeforeEach
    void modelFileSystem() throws Exception {
        model = FileSystems.newFileSystem(
                URI.create("jar:" + host.resolve("model.zip").toUri()), Map.of("create", "true"));
    }

    @AfterEach
    void close() throws Exception {
        model.close();
    }

    private ModuleCommands commands() {
        return new ModuleCommands((ModuleLoader)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ModuleLoader.class}, (p, m, a) -> {
                    calls.add(m.getName());
                    if (a != null) {
                        calls.add(a[0]);
                    }
                    return switch (m.getName()) {
                        case "modinfo" -> {
                            if (a.length == 1) {
                                throw new KernelException(Errno.ENOENT, "Module " + a[0] + " not found.");
                            }
                            yield new ModInfo((String) a[1], List.of(new ModInfo.Field("license", "GPL")), null);
                        }
                        case "modules" -> List.of();
                        default -> null;
                    };
                }));
    }

    private static CommandSession session(Path cwd) {
        return (CommandSession) Proxy.newProxyInstance(
                Issue11InsmodModelPathTest.class.getClassLoader(),
                new Class<?>[] {CommandSession.class},
                (p, m, a) -> m.getName().equals("currentDir") && (a == null || a.length == 0) ? cwd : null);
    }

    private Path hostModule() throws Exception {
        return Files.writeString(host.resolve("host_only.ko"), "a host file the model does not have");
    }

    @Test
    void insmodOfAPathOnlyTheHostHasIsEnoentAndReadsNothing() throws Exception {
        String file = hostModule().toString();
        KernelException e =
                assertThrows(KernelException.class, () -> commands().insmod(session(model.getPath("/")), file));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ERROR: could not load module " + file, e.what());
        assertEquals(List.of(), calls, "the loader read nothing");
    }

    @Test
    void modinfoOfAPathOnlyTheHostHasIsNotFound() throws Exception {
        String file = hostModule().toString();
        KernelException e =
                assertThrows(KernelException.class, () -> commands().modinfo(session(model.getPath("/")), file));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ERROR: Module " + file + " not found.", e.what());
        assertEquals(List.of("modinfo", file), calls, "looked up as a name (kmod's alias lookup), no file read");
    }

    @Test
    void insmodAndModinfoOfAModelFileReadTheModelsFile() throws Exception {
        Path dir = Files.createDirectories(model.getPath("/lib/modules/3.15.0-kmodel/extra"));
        Files.writeString(dir.resolve("m.ko"), "module");
        ModuleCommands cmd = commands();
        cmd.insmod(session(model.getPath("/")), "/lib/modules/3.15.0-kmodel/extra/m.ko", "count=2");
        assertEquals("insmod", calls.get(0));
        Path loaded = (Path) calls.get(1);
        assertSame(model, loaded.getFileSystem());
        assertEquals("/lib/modules/3.15.0-kmodel/extra/m.ko", loaded.toString());
        calls.clear();
        String info = cmd.modinfo(session(dir), "-n", "m.ko");
        assertEquals("/lib/modules/3.15.0-kmodel/extra/m.ko", info, "relative to the session's model directory");
        assertEquals("modinfo", calls.get(0));
        assertTrue(calls.get(1) instanceof byte[], calls.toString());
    }

    @Test
    void aSessionWhoseDirectoryIsTheHostsHasNoModuleFiles() throws Exception {
        String file = hostModule().toString();
        KernelException e = assertThrows(KernelException.class, () -> commands().insmod(session(host), file));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals(List.of(), calls);
    }
}
