package org.kmodel.itests;

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
 * 3.13, the bug as the LWN article of 5 March 2014 describes it: an unsigned module is tainted F, so its
 * tracepoints are silently missing. The event is still listed and can be enabled (trace_module_add_events had
 * no taint check before commit 45ab2813d40d, first in v3.14-rc6), but it never records anything, and nothing
 * in the log explains why.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ModuleTrace313IT extends ModuleTraceIT {
    @Configuration
    public Option[] config() {
        return release("3.13");
    }

    @Test
    public void signedStagingModuleKeepsItsTracepointsAlsoIn313() throws Exception {
        gogo("insmod " + signedStagingModuleWithTracepoint("3.13"));
        assertTrue(read("/proc/modules").contains("(C)"));
        assertTrue(events().contains("kmodel_staging_tp:staging_event"));
    }

    @Test
    public void unsignedModuleIsForcedAndItsTracepointsSilentlyDead() throws Exception {
        String fired = loadAndFire("3.13", "");
        String modules = read("/proc/modules");
        assertTrue(modules, modules.contains("kmodel_oot") && modules.contains("F"));
        assertTrue("event files still exist in 3.13", events().contains(EVENT));
        assertTrue(read("/sys/kernel/tracing/events/kmodel_sample/sample_event/enable")
                .equals("1"));
        assertTrue(fired, fired.contains("tracepoint kmodel_sample:sample_event does not exist"));
        assertTraced(false);
        assertFalse("silent before 3.14", gogo("dmesg").contains("bad taint"));
        assertUnloadRemovesEventsAndClearsBuffer();
    }
}
