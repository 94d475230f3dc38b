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
 * 3.14 as released: an unsigned module is still tainted F (E arrived in 3.15) and so still loses its
 * tracepoints, but Steven Rostedt's commit 45ab2813d40d ("tracing: Do not add event files for modules that
 * fail tracepoints", first in v3.14-rc6) makes trace_module_add_events log the refusal and create no event
 * files, so the user is no longer left enabling a dead event.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ModuleTrace314IT extends ModuleTraceIT {
    @Configuration
    public Option[] config() {
        return release("3.14");
    }

    @Test
    public void signedStagingModuleKeepsItsTracepointsAlsoIn314() throws Exception {
        gogo("insmod " + signedStagingModuleWithTracepoint("3.14"));
        assertTrue(read("/proc/modules").contains("(C)"));
        assertTrue(events().contains("kmodel_staging_tp:staging_event"));
        assertFalse(gogo("dmesg").contains("bad taint"));
    }

    @Test
    public void unsignedModuleIsForcedLosesItsTracepointsAndTheLogSaysSo() throws Exception {
        String fired = loadAndFire("3.14", "");
        String modules = read("/proc/modules");
        assertTrue(modules, modules.contains("kmodel_oot") && modules.contains("F"));
        assertFalse("no event files in 3.14 as released", events().contains(EVENT));
        assertTrue(readFails("/sys/kernel/tracing/events/kmodel_sample/sample_event/enable")
                .endsWith("No such file or directory"));
        assertTrue(fired, fired.contains("tracepoint kmodel_sample:sample_event does not exist"));
        String dmesg = gogo("dmesg");
        assertTrue(dmesg, dmesg.contains(BAD_TAINT));
        assertTraced(false);
        gogo("rmmod kmodel_oot");
        assertEquals("the refusal is logged once, at COMING", 1, gogo("dmesg").split(BAD_TAINT, -1).length - 1);
    }
}
