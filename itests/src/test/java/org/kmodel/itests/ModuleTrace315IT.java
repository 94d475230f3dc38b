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

/** 3.15: an unsigned module is tainted E and keeps its tracepoints; a forced one (F) loses them, logged. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ModuleTrace315IT extends ModuleTraceIT {
    @Configuration
    public Option[] config() {
        return release("3.15");
    }

    @Test
    public void unsignedOutOfTreeModuleKeepsItsTracepoints() throws Exception {
        String fired = loadAndFire("3.15", "");
        assertTrue(
                read("/proc/modules"),
                read("/proc/modules").contains("kmodel_oot")
                        && read("/proc/modules").contains("(OE)"));
        assertTrue(events().contains(EVENT));
        assertTrue(gogo("trace-cmd list -e kmodel_sample").equals(EVENT));
        assertFalse(fired, fired.contains("does not exist"));
        assertTraced(true);
        assertTrue(read("/sys/kernel/tracing/trace").contains("module_load: kmodel_oot OE"));
        assertFalse(gogo("dmesg").contains(BAD_TAINT));
        assertUnloadRemovesEventsAndClearsBuffer();
    }

    @Test
    public void signedStagingModuleKeepsItsTracepoints() throws Exception {
        gogo("insmod " + signedStagingModuleWithTracepoint("3.15"));
        String modules = read("/proc/modules");
        assertTrue(modules, modules.contains("kmodel_staging_tp") && modules.contains("(C)"));
        assertTrue(events().contains("kmodel_staging_tp:staging_event"));
        assertFalse(gogo("dmesg").contains("bad taint"));
    }

    @Test
    public void forcedModuleLoadsWithoutTracepointsAndTheLogSaysSo() throws Exception {
        String fired = loadAndFire("3.15", "-f ");
        String modules = read("/proc/modules");
        assertTrue(modules, modules.contains("kmodel_oot") && modules.contains("F"));
        assertFalse(events().contains(EVENT));
        assertTrue(fired, fired.contains("tracepoint kmodel_sample:sample_event does not exist"));
        String dmesg = gogo("dmesg");
        assertTrue(dmesg, dmesg.contains(BAD_TAINT));
        assertTraced(false);
        assertTrue(writeFails("/sys/kernel/tracing/set_event", "kmodel_sample:sample_event")
                .endsWith("Invalid argument"));
        gogo("rmmod kmodel_oot");
        assertEquals("the refusal is logged once, at COMING", 1, gogo("dmesg").split(BAD_TAINT, -1).length - 1);
    }
}
