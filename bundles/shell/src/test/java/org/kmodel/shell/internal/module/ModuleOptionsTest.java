package org.kmodel.shell.internal.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.module.ModInfo;
import org.kmodel.module.ModuleLoader;

/** kmod's options users type: modprobe -r/-n/-v/-f, modinfo -F/-n, rmmod/lsmod --help. */
class ModuleOptionsTest {
    private final List<String> calls = new ArrayList<>();
    private final ModuleCommands cmd = new ModuleCommands(loader());

    private ModuleLoader loader() {
        ModInfo info = new ModInfo(
                "/lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko",
                List.of(
                        new ModInfo.Field("license", "GPL"),
                        new ModInfo.Field("parm", "count:int"),
                        new ModInfo.Field("parm", "msg:charp")),
                null);
        return (ModuleLoader)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ModuleLoader.class}, (p, m, a) -> {
                    calls.add(m.getName() + (a == null ? "" : " " + a[0]));
                    return switch (m.getName()) {
                        case "modinfo" -> {
                            if ("nope".equals(a[0])) {
                                throw new KernelException(Errno.ENOENT, "nope");
                            }
                            yield info;
                        }
                        case "modules", "modprobe" -> List.of();
                        default -> null;
                    };
                });
    }

    @Test
    void modprobeDryRunVerboseForceAndRemove() {
        assertEquals("insmod /lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko", cmd.modprobe("-n", "-v", "kmodel_oot"));
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("modprobe") || c.startsWith("insmod")), calls.toString());
        assertEquals(
                "FATAL: Module nope not found.: No such file or directory",
                assertThrows(KernelException.class, () -> cmd.modprobe("-n", "nope"))
                        .getMessage());
        cmd.modprobe("kmodel_oot");
        assertTrue(calls.contains("modprobe kmodel_oot"), calls.toString());
        cmd.modprobe("-f", "kmodel_oot");
        assertTrue(
                calls.contains("insmod " + Path.of("/lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko")),
                calls.toString());
        assertEquals(
                "FATAL: Module kmodel_oot is not currently loaded.: No such file or directory",
                assertThrows(KernelException.class, () -> cmd.modprobe("-r", "kmodel_oot"))
                        .getMessage());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd.modprobe("-x", "a"))
                        .errno());
        assertTrue(cmd.modprobe("--help").startsWith("Usage: modprobe"));
    }

    @Test
    void modinfoFieldsAndFilename() {
        assertEquals("count:int\nmsg:charp", cmd.modinfo(null, "-F", "parm", "kmodel_oot"));
        assertEquals("/lib/modules/3.15.0-kmodel/extra/kmodel_oot.ko", cmd.modinfo(null, "-n", "kmodel_oot"));
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd.modinfo(null, "-F"))
                        .errno());
        assertTrue(cmd.rmmod("--help").startsWith("Usage: rmmod"));
        assertTrue(((String) cmd.lsmod("--help")).startsWith("usage: lsmod"));
        ModuleList list = (ModuleList) cmd.lsmod("-t", "--json");
        assertTrue(list.taints() && list.json());
        assertEquals(cmd.modules(), list.modules());
        ModuleList plain = (ModuleList) cmd.lsmod();
        assertTrue(!plain.taints() && !plain.json());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd.lsmod("--bogus")).errno());
    }
}
