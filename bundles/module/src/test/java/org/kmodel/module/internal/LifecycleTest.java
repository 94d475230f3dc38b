package org.kmodel.module.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.module.ModuleEntry;
import org.kmodel.module.ModuleState;

/** States, notifiers, dependencies, refcounts and unload rules (docs/modules.md; kernel/module/main.c delete_module, ref_module). */
class LifecycleTest {
    private final Fixture fx = new Fixture(KernelRelease.V3_15);

    private byte[] exporter() {
        return fx.sign(
                fx.clean(
                        "core",
                        "Kmodel-Export-Symbol",
                        "core_register",
                        "Kmodel-Export-Symbol-Gpl",
                        "core_register_gpl"),
                Fixture.TRUSTED);
    }

    @Test
    void notifiersSeeComingWithTaintsThenLiveThenGoing() {
        fx.load(Fixture.jar("oot", "Kmodel-License", "GPL", "Kmodel-Vermagic", fx.vermagic()), false);
        fx.core.delete("oot", false);
        assertEquals(List.of("oot:COMING:(OE)", "oot:LIVE:(OE)", "oot:GOING:(OE)"), fx.events);
        assertTrue(fx.code.installed.isEmpty());
        assertNull(fx.core.find("oot"));
        // The global taint survives the module.
        assertEquals(12288, fx.taint.mask());
    }

    @Test
    void initFailureGoesComingToGoingAndReturnsInitsErrno() {
        fx.code.initFails.put("bad_init", Errno.ENODEV);
        Errno e = fx.fail(fx.sign(fx.clean("bad_init"), Fixture.TRUSTED), false);
        assertEquals(Errno.ENODEV, e);
        assertEquals(List.of("bad_init:COMING:", "bad_init:GOING:"), fx.events);
        assertTrue(fx.code.installed.isEmpty());
        assertNull(fx.core.find("bad_init"));
    }

    @Test
    void dependentsBlockUnloadEvenWhenForced() {
        fx.load(exporter(), false);
        fx.load(fx.sign(fx.clean("user", "Kmodel-Import-Symbol", "core_register"), Fixture.TRUSTED), false);
        ModuleEntry core = fx.core.entries().stream()
                .filter(e -> e.name().equals("core"))
                .findFirst()
                .get();
        assertEquals(1, core.refcount());
        assertEquals(List.of("user"), core.holders());
        assertEquals(Errno.EAGAIN, fx.failRmmod("core", false));
        assertEquals(Errno.EAGAIN, fx.failRmmod("core", true));
        assertEquals(0, fx.taint.mask() & TaintFlag.FORCED_RMMOD.mask());
        fx.core.delete("user", false);
        fx.core.delete("core", false);
        assertTrue(fx.core.entries().isEmpty());
    }

    @Test
    void insmodResolvesNothingMissingSymbolIsEnoent() {
        assertEquals(
                Errno.ENOENT,
                fx.fail(fx.sign(fx.clean("user", "Kmodel-Import-Symbol", "core_register"), Fixture.TRUSTED), false));
        assertTrue(
                fx.log.lines().contains("user: Unknown symbol core_register (err 0)"),
                fx.log.lines().toString());
        assertTrue(fx.code.installed.isEmpty());
    }

    @Test
    void gplOnlySymbolsAreInvisibleToProprietaryModules() {
        fx.load(exporter(), false);
        byte[] prop = fx.sign(
                fx.clean("blob", "Kmodel-License", "Proprietary", "Kmodel-Import-Symbol", "core_register_gpl"),
                Fixture.TRUSTED);
        assertEquals(Errno.ENOENT, fx.fail(prop, false));
        byte[] propKernel = fx.sign(
                fx.clean("blob2", "Kmodel-License", "Proprietary", "Kmodel-Import-Symbol", "tracepoint_probe_register"),
                Fixture.TRUSTED);
        assertEquals(Errno.ENOENT, fx.fail(propKernel, false));
        byte[] propPlain = fx.sign(
                fx.clean("blob3", "Kmodel-License", "Proprietary", "Kmodel-Import-Symbol", "core_register, printk"),
                Fixture.TRUSTED);
        fx.load(propPlain, false);
        byte[] gpl = fx.sign(fx.clean("free", "Kmodel-Import-Symbol", "core_register_gpl"), Fixture.TRUSTED);
        fx.load(gpl, false);
        assertEquals(
                List.of("free", "blob3"),
                fx.core.entries().stream()
                        .filter(e -> e.name().equals("core"))
                        .findFirst()
                        .get()
                        .holders());
    }

    @Test
    void duplicateExportIsEnoexec() {
        fx.load(exporter(), false);
        assertEquals(
                Errno.ENOEXEC,
                fx.fail(fx.sign(fx.clean("core2", "Kmodel-Export-Symbol", "core_register"), Fixture.TRUSTED), false));
        assertEquals(
                Errno.ENOEXEC,
                fx.fail(fx.sign(fx.clean("core3", "Kmodel-Export-Symbol", "printk"), Fixture.TRUSTED), false));
    }

    @Test
    void referencesBlockUnloadUnlessForcedWhichTaintsR() {
        fx.load(exporter(), false);
        assertTrue(fx.core.get("core", "test"));
        assertEquals(Errno.EAGAIN, fx.failRmmod("core", false));
        fx.core.settings.forceUnload = false;
        assertEquals(Errno.EAGAIN, fx.failRmmod("core", true));
        fx.core.settings.forceUnload = true;
        fx.core.delete("core", true);
        assertEquals(TaintFlag.FORCED_RMMOD.mask(), fx.taint.mask());
        assertTrue(fx.log.lines().contains("Disabling lock debugging due to kernel taint"));
    }

    @Test
    void forcedRmmodOfAnUnusedModuleDoesNotTaint() {
        fx.load(exporter(), false);
        fx.core.delete("core", true);
        assertEquals(0, fx.taint.mask());
    }

    @Test
    void unknownModuleIsEnoent() {
        assertEquals(Errno.ENOENT, fx.failRmmod("nope", false));
        assertEquals(Errno.ENOENT, fx.failRmmod("", false));
    }

    @Test
    void bundleUninstalledBehindTheLoadersBackIsGone() {
        var m = fx.load(exporter(), false);
        fx.core.bundleGone(m.bundleId());
        assertNull(fx.core.find("core"));
        assertEquals(ModuleState.GOING, m.state());
        assertTrue(fx.events.contains("core:GOING:"));
    }

    @Test
    void procModulesIsNewestFirstWithHolders() {
        fx.load(exporter(), false);
        fx.load(fx.sign(fx.clean("user", "Kmodel-Import-Symbol", "core_register"), Fixture.TRUSTED), false);
        List<ModuleEntry> e = fx.core.entries();
        assertEquals("user", e.get(0).name());
        String line = ModuleProcFiles.procModulesLine(e.get(1), 0, false);
        assertTrue(line.matches("core \\d+ 1 user, Live 0x[0-9a-f]{16}\n"), line);
    }
}
