package org.kmodel.shell.internal.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleEntry;
import org.kmodel.module.ModuleLoader;
import org.kmodel.module.ModuleState;

/**
 * Issue 10: {@code rmmod} of a module in use (an enabled live patch holds a reference; a module other
 * modules depend on has holders) fails as kmod's rmmod does (tools/rmmod.c check_module_inuse): the kmod
 * line, EBUSY, and delete_module(2) is never called. {@code -f} skips the check and leaves the decision to
 * the syscall.
 */
class RmmodInUseTest {
    private final List<String> calls = new ArrayList<>();

    private ModuleCommands commands(int refcount, List<String> holders) {
        KernelModule mod = (KernelModule) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {KernelModule.class},
                (p, m, a) -> m.getName().equals("name") ? "livepatch_sample" : null);
        ModuleEntry entry = new ModuleEntry("livepatch_sample", 16384, refcount, holders, ModuleState.LIVE, 0, "K");
        return new ModuleCommands((ModuleLoader)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ModuleLoader.class}, (p, m, a) -> {
                    calls.add(m.getName() + (a == null ? "" : " " + a[0]));
                    return switch (m.getName()) {
                        case "find" -> "livepatch_sample".equals(a[0]) ? mod : null;
                        case "modules" -> List.of(entry);
                        default -> null;
                    };
                }));
    }

    @Test
    void aModuleWithReferencesIsBusyAndDeleteModuleIsNotCalled() {
        KernelException e =
                assertThrows(KernelException.class, () -> commands(1, List.of()).rmmod("livepatch_sample"));
        assertEquals(Errno.EBUSY, e.errno());
        assertEquals("ERROR: Module livepatch_sample is in use", e.what());
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("rmmod")), calls.toString());
    }

    @Test
    void aModuleWithHoldersIsBusyAndNamesThem() {
        KernelException e = assertThrows(
                KernelException.class, () -> commands(0, List.of("kmodel_dep")).rmmod("livepatch_sample.ko"));
        assertEquals(Errno.EBUSY, e.errno());
        assertEquals("ERROR: Module livepatch_sample is in use by: kmodel_dep", e.what());
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("rmmod")), calls.toString());
    }

    @Test
    void forceLeavesItToTheSyscallAndAnUnusedModuleIsRemoved() {
        commands(1, List.of()).rmmod("-f", "livepatch_sample");
        assertTrue(calls.contains("rmmod livepatch_sample"), calls.toString());
        calls.clear();
        commands(0, List.of()).rmmod("livepatch_sample");
        assertTrue(calls.contains("rmmod livepatch_sample"), calls.toString());
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> commands(0, List.of()).rmmod("nope"))
                        .errno());
    }
}
