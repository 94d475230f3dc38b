package org.kmodel.module.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.module.ModuleEntry;

/** load_module's checks after the signature (docs/modules.md#taints-from-loading): vermagic, modinfo taints, names. */
class LoadModuleTest {
    private final Fixture fx = new Fixture(KernelRelease.V3_15);

    @Test
    void wrongVermagicIsEnoexecWithTheKernelsLine() {
        byte[] m = Fixture.jar("wifi", "Kmodel-License", "GPL", "Kmodel-Vermagic", "3.13.0-24-generic SMP mod_unload");
        assertEquals(Errno.ENOEXEC, fx.fail(m, false));
        assertTrue(
                fx.log
                        .lines()
                        .contains("wifi: version magic '3.13.0-24-generic SMP mod_unload' should be '" + fx.vermagic()
                                + "'"),
                fx.log.lines().toString());
        assertTrue(fx.code.installed.isEmpty());
    }

    @Test
    void forcedLoadIgnoresVermagicAndTaintsF() {
        byte[] m = fx.clean("forced", "Kmodel-Vermagic", "3.13.0-24-generic SMP mod_unload");
        fx.load(fx.sign(m, Fixture.TRUSTED), true);
        assertEquals("F", fx.flags("forced"));
        assertEquals(
                List.of("forced: bad vermagic: kernel tainted.", "Disabling lock debugging due to kernel taint"),
                fx.log.lines());
        assertEquals(TaintFlag.FORCED_MODULE.mask(), fx.taint.mask());
    }

    @Test
    void forcedLoadWithoutForceLoadSupportIsEnoexec() {
        fx.core.settings.forceLoad = false;
        assertEquals(Errno.ENOEXEC, fx.fail(fx.sign(fx.clean("x"), Fixture.TRUSTED), true));
        assertEquals(0, fx.taint.mask());
    }

    @Test
    void forcedLoadOnModernKernelAlsoSkipsTheSignature() {
        Fixture modern = new Fixture(KernelRelease.V6_18);
        modern.load(modern.sign(modern.clean("m"), Fixture.TRUSTED), true);
        assertEquals("FE", modern.flags("m"));
    }

    @Test
    void unsignedOutOfTreeModuleIsOE() {
        byte[] m = Fixture.jar("backport_wifi", "Kmodel-License", "GPL", "Kmodel-Vermagic", fx.vermagic());
        fx.load(m, false);
        assertEquals("OE", fx.flags("backport_wifi"));
        assertEquals(12288, fx.taint.mask());
        assertEquals("Tainted: G           OE", fx.taint.tainted());
        assertTrue(fx.log.lines().contains("backport_wifi: loading out-of-tree module taints kernel."));
    }

    @Test
    void proprietaryLicenseTaintsPOnceWithLockdepLine() {
        byte[] a = fx.sign(fx.clean("nv", "Kmodel-License", "Proprietary"), Fixture.TRUSTED);
        fx.load(a, false);
        byte[] b = fx.sign(fx.clean("nv2", "Kmodel-License", "MIT"), Fixture.TRUSTED);
        fx.load(b, false);
        assertEquals("P", fx.flags("nv"));
        assertEquals("P", fx.flags("nv2"));
        assertEquals(
                List.of(
                        "nv: module license 'Proprietary' taints kernel.",
                        "Disabling lock debugging due to kernel taint"),
                fx.log.lines());
    }

    @Test
    void missingLicenseIsUnspecified() {
        fx.load(
                fx.sign(Fixture.jar("nolic", "Kmodel-Intree", "Y", "Kmodel-Vermagic", fx.vermagic()), Fixture.TRUSTED),
                false);
        assertTrue(fx.log.lines().contains("nolic: module license 'unspecified' taints kernel."));
    }

    @Test
    void everyGplCompatibleStringAvoidsP() {
        int i = 0;
        for (String l : ModinfoCheck.GPL_COMPATIBLE) {
            fx.load(fx.sign(fx.clean("gpl" + i++, "Kmodel-License", l), Fixture.TRUSTED), false);
        }
        assertEquals(0, fx.taint.mask());
        assertEquals(Errno.ENOEXEC, fx.fail(fx.clean("x", "Kmodel-Vermagic", "bad"), false));
    }

    @Test
    void stagingTaintsCEveryTimeItLogs() {
        fx.load(fx.sign(fx.clean("st1", "Kmodel-Staging", "Y"), Fixture.TRUSTED), false);
        fx.load(fx.sign(fx.clean("st2", "Kmodel-Staging", "Y"), Fixture.TRUSTED), false);
        assertEquals("C", fx.flags("st1"));
        assertEquals(
                2,
                fx.log.lines().stream()
                        .filter(l -> l.contains("staging directory"))
                        .count());
    }

    @Test
    void letterOrderIsPOFCEIn315AndBitOrderIn618() {
        byte[] m = Fixture.jar("all", "Kmodel-License", "Proprietary", "Kmodel-Staging", "Y", "Kmodel-Vermagic", "x");
        fx.load(m, true);
        assertEquals("POFCE", fx.flags("all"));
        Fixture modern = new Fixture(KernelRelease.V6_18);
        modern.load(m, true);
        assertEquals("PFCOE", modern.flags("all"));
    }

    @Test
    void duplicateIsEexistAndBefore64StillTaints() {
        byte[] oot = Fixture.jar("dup", "Kmodel-License", "GPL", "Kmodel-Vermagic", fx.vermagic());
        fx.load(fx.sign(fx.clean("dup"), Fixture.TRUSTED), false);
        assertEquals(0, fx.taint.mask());
        assertEquals(Errno.EEXIST, fx.fail(oot, false));
        // check_modinfo ran before the duplicate check: O is set globally, and E is not.
        assertEquals(TaintFlag.OOT_MODULE.mask(), fx.taint.mask());

        Fixture modern = new Fixture(KernelRelease.V6_18);
        modern.load(modern.sign(modern.clean("dup"), Fixture.TRUSTED), false);
        byte[] oot2 = Fixture.jar("dup", "Kmodel-License", "GPL", "Kmodel-Vermagic", modern.vermagic());
        assertEquals(Errno.EEXIST, modern.fail(oot2, false));
        assertEquals(0, modern.taint.mask());
    }

    @Test
    void notAModuleIsEnoexec() {
        assertEquals(Errno.ENOEXEC, fx.fail("hello world, not a jar".getBytes(), false));
        assertEquals(Errno.ENOEXEC, fx.fail(new byte[0], false));
        assertEquals(0, fx.taint.mask() & ~TaintFlag.UNSIGNED_MODULE.mask());
    }

    @Test
    void modulesDisabledIsEperm() {
        fx.core.settings.modulesDisabled = true;
        assertEquals(Errno.EPERM, fx.fail(fx.clean("x"), false));
    }

    @Test
    void parametersAreCheckedForTheirType() {
        byte[] m = fx.sign(fx.clean("p", "Kmodel-Parm", "count:int:How many, msg:charp:Text"), Fixture.TRUSTED);
        assertEquals(Errno.EINVAL, failWith(m, "count=abc"));
        assertNull(fx.core.find("p"));
        var mod = fx.load(m, false, "count=3", "msg=hi", "bogus=1");
        assertEquals("3", mod.parameters().get("count"));
        assertTrue(fx.log.lines().contains("p: unknown parameter 'bogus' ignored"));
    }

    private Errno failWith(byte[] m, String param) {
        try {
            fx.load(m, false, param);
        } catch (org.kmodel.kernel.KernelException e) {
            return e.errno();
        }
        throw new AssertionError();
    }

    @Test
    void procModulesLineHasTheKernelFormat() {
        fx.load(Fixture.jar("oot", "Kmodel-License", "GPL", "Kmodel-Vermagic", fx.vermagic()), false);
        ModuleEntry e = fx.core.entries().get(0);
        String line = ModuleProcFiles.procModulesLine(e, 0, false);
        assertTrue(line.matches("oot \\d+ 0 - Live 0x[0-9a-f]{16} \\(OE\\)\n"), line);
        assertFalse(line.contains("null"));
    }
}
