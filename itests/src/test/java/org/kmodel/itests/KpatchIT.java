package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/**
 * kpatch (3.15 profile, the default engine there): kpatch load/list/info/unload, TAINT_USER, EBUSY with a task
 * parked in the function, and the real bug fix: signatures of force-loaded modules (4.7) under enforcement.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class KpatchIT extends LivePatchTestSupport {
    @Configuration
    public Option[] config() {
        return release("3.15", "module.sig_enforce=1");
    }

    @Test
    public void loadListInfoUnload() throws Exception {
        assertEquals("kpatch", gogo("klp engine").strip());
        String load = gogo("kpatch load " + ko("3.15", "livepatch_sample"));
        assertTrue(load, load.contains("patch module livepatch_sample loaded (kpatch, stop_machine pause"));
        assertEquals("this has been live patched", read("/proc/cmdline"));
        assertTrue(gogo("kpatch list").startsWith("Loaded patch modules:\nlivepatch_sample\n"));
        assertTrue(gogo("kpatch info livepatch_sample").contains("stop_machine:"));
        assertEquals("64", read("/proc/sys/kernel/tainted"));
        assertTrue(gogo("dmesg").contains("kpatch: tainting kernel with TAINT_USER"));
        assertEquals("1", read("/sys/kernel/kpatch/patches/livepatch_sample/enabled"));
        assertTrue(
                "no upstream livepatch before 4.0",
                gogoFails("ls /sys/kernel/livepatch").endsWith("No such file or directory"));
        String unload = gogo("kpatch unload livepatch_sample");
        assertEquals(
                "disabling patch module: livepatch_sample\nunloading patch module: livepatch_sample", unload.strip());
        assertEquals("module.sig_enforce=1", read("/proc/cmdline"));
    }

    @Test
    public void parkedTaskMakesTheActivenessCheckFail() throws Exception {
        String pid = parkedReader();
        String busy = gogoFails("kpatch load " + ko("3.15", "livepatch_sample"));
        assertTrue(busy, busy.endsWith("Device or resource busy"));
        assertTrue(gogo("dmesg").contains("kpatch: activeness safety check failed for cmdline_proc_show"));
        assertFalse(read("/proc/modules").contains("livepatch_sample"));
        assertEquals("0", read("/proc/sys/kernel/tainted"));
        gogo("ktask wake " + pid);
        gogo("kpatch load " + ko("3.15", "livepatch_sample"));
        assertEquals("this has been live patched", read("/proc/cmdline"));
        gogo("ktask kill " + pid);
    }

    @Test
    public void forcedLoadOfASignedModuleBeforeAndAfterTheFix() throws Exception {
        String badmagic = ko("3.15", "kmodel_badmagic");
        gogo("insmod -f " + badmagic);
        assertTrue(
                "before: the signature of a forced load still counts",
                read("/proc/modules").contains("kmodel_badmagic"));
        gogo("rmmod kmodel_badmagic");
        gogo("kpatch load " + ko("3.15", "livepatch_mangled_sig"));
        String refused = gogoFails("insmod -f " + badmagic);
        assertTrue(
                "after: a forced load counts as unsigned: " + refused, refused.endsWith("Required key not available"));
        assertFalse(read("/proc/modules").contains("kmodel_badmagic"));
        gogo("insmod " + ko("3.15", "kmodel_core"));
        assertTrue(
                "signed, unforced loads are unaffected", read("/proc/modules").contains("kmodel_core"));
    }
}
