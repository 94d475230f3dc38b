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
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Patches are modules: with module.sig_enforce=1 an unsigned patch is refused like any unsigned module. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LivePatchEnforceIT extends LivePatchTestSupport {
    @Configuration
    public Option[] config() {
        return release("6.18", "module.sig_enforce=1");
    }

    @Test
    public void unsignedPatchRefusedSignedOneLoads() throws Exception {
        String refused = gogoFails("insmod " + ko("6.18", "livepatch_shadow_sample"));
        assertTrue(refused, refused.endsWith("Key was rejected by service"));
        assertFalse(read("/proc/modules").contains("livepatch_shadow_sample"));
        assertEquals("module.sig_enforce=1", read("/proc/cmdline"));
        assertEquals("0", read("/proc/sys/kernel/tainted"));
        gogo("insmod " + ko("6.18", "livepatch_sample"));
        assertEquals("this has been live patched", read("/proc/cmdline"));
    }
}
