package org.kmodel.shell.internal.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleLoader;
import org.kmodel.shell.internal.session.LibModules;

/**
 * Issue 11: the module loader names the files of its module directory by their host path (the distribution's
 * {@code lib/modules}); {@code modprobe -n -v} and {@code modinfo NAME} print the model's path of the same file,
 * {@code /lib/modules/...} as kmod's dry run prints it, and no host path.
 */
class Issue11ModprobeModelPathTest {
    private static final String HOME = "/opt/dist-" + Long.toHexString(System.nanoTime());
    private static final String HOST_FILE = HOME + "/lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko";
    private final String saved = System.getProperty("kmodel.home");
    private final List<String> calls = new ArrayList<>();

    private ModuleCommands commands() {
        System.setProperty("kmodel.home", HOME);
        ModInfo info = new ModInfo(HOST_FILE, List.of(new ModInfo.Field("license", "GPL")), null);
        return new ModuleCommands((ModuleLoader)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ModuleLoader.class}, (p, m, a) -> {
                    calls.add(m.getName() + (a == null ? "" : " " + a[0]));
                    return switch (m.getName()) {
                        case "modinfo" -> info;
                        case "modules", "modprobe" -> List.of();
                        default -> null;
                    };
                }));
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty("kmodel.home");
        } else {
            System.setProperty("kmodel.home", saved);
        }
    }

    @Test
    void modprobeDryRunAndModinfoPrintTheModelPath() {
        ModuleCommands cmd = commands();
        assertEquals("insmod /lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko", cmd.modprobe("-n", "-v", "kmodel_oot"));
        assertEquals("insmod /lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko", cmd.modprobe("-v", "kmodel_oot"));
        assertEquals("/lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko", cmd.modinfo(null, "-n", "kmodel_oot"));
        String all = cmd.modinfo(null, "kmodel_oot");
        assertTrue(all.startsWith("filename:       /lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko\n"), all);
        assertFalse(all.contains(HOME), all);
    }

    @Test
    void forceStillLoadsTheFileTheLoaderNamed() {
        ModuleCommands cmd = commands();
        assertEquals("insmod /lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko", cmd.modprobe("-f", "-v", "kmodel_oot"));
        assertTrue(calls.contains("insmod " + Path.of(HOST_FILE)), calls.toString());
    }

    @Test
    void modprobesFatalLineNamesTheModelsDirectory() {
        System.setProperty("kmodel.home", HOME);
        ModuleCommands cmd = new ModuleCommands((ModuleLoader)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ModuleLoader.class}, (p, m, a) -> {
                    throw new org.kmodel.kernel.KernelException(
                            org.kmodel.kernel.Errno.ENOENT,
                            "Module nosuch not found in directory " + HOME + "/lib/modules/3.15.0-kmodel");
                }));
        org.kmodel.kernel.KernelException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.kmodel.kernel.KernelException.class, () -> cmd.modprobe("nosuch"));
        assertEquals("FATAL: Module nosuch not found in directory /lib/modules/3.15.0-kmodel", e.what());
    }

    @Test
    void onlyFilesOfTheDistributionsModuleDirectoryAreMapped() {
        assertEquals(
                "/lib/modules/6.18.0-kmodel/kernel/x.ko",
                LibModules.modelPath("/d/lib/modules/6.18.0-kmodel/kernel/x.ko", "/d"));
        assertEquals("/elsewhere/x.ko", LibModules.modelPath("/elsewhere/x.ko", "/d"));
        assertEquals("/d/lib/modulesX/x.ko", LibModules.modelPath("/d/lib/modulesX/x.ko", "/d"));
        assertEquals("/d/lib/modules/x.ko", LibModules.modelPath("/d/lib/modules/x.ko", null), "no distribution");
        assertEquals("/lib/modules/a.ko", LibModules.modelPath("/lib/modules/a.ko", "/d"), "already a model path");
    }
}
