package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** kGraft (3.15 profile, selected at runtime): per-task universe, kgr_in_progress, a sleeper holds it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KgraftIT extends LivePatchTestSupport {
    @Configuration
    public Option[] config() {
        return release("3.15", "");
    }

    @Test
    public void sleeperHoldsTheTransitionUntilItCrossesTheBoundary() throws Exception {
        assertEquals("kgraft", gogo("klp engine kgraft").strip());
        String pid = parkedReader();
        gogo("insmod " + ko("3.15", "livepatch_sample"));
        assertEquals("1", read("/sys/kernel/kgraft/in_progress"));
        assertEquals("1", read("/proc/" + pid + "/kgr_in_progress"));
        assertEquals("this has been live patched", read("/proc/cmdline"));
        gogo("ktask wake " + pid);
        await("kGraft finished", () -> {
            try {
                return read("/sys/kernel/kgraft/in_progress").equals("0");
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals("0", read("/proc/" + pid + "/kgr_in_progress"));
        assertTrue(gogo("dmesg").contains("kgr: 'livepatch_sample': patching complete"));
        assertEquals("0", read("/proc/sys/kernel/tainted"));
        gogo("ktask kill " + pid);
    }
}
