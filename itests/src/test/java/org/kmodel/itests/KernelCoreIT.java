package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.kmodel.itests.support.KernelTestSupport;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The kernel core boots as DS components and answers through the shell (issue 2 acceptance). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // one framework per class: the taint test must run last
public class KernelCoreIT extends KernelTestSupport {
    @Configuration
    public Option[] config() {
        return kernel();
    }

    @Test
    public void a_coreServicesArePresent() throws Exception {
        for (String service : new String[] {"Taint", "KernelLog", "ReleaseProfile", "Sysctl", "BootParams", "ProcFs"}) {
            assertNotNull(service, context.getAllServiceReferences("org.kmodel.kernel." + service, null));
        }
        assertTrue(context.getAllServiceReferences("org.kmodel.kernel.ProcFile", null).length >= 7);
    }

    @Test
    public void a_acceptanceCommands() throws Exception {
        assertEquals("3.15.0-kmodel", gogo("uname -r"));
        assertEquals("0", gogo("cat /proc/sys/kernel/tainted"));
        String table = gogo("taint");
        assertTrue(table, table.contains("TAINT_UNSIGNED_MODULE"));
        assertTrue(table, table.endsWith("Not tainted"));
        assertTrue(gogo("uname -a").startsWith("Linux kmodel 3.15.0-kmodel "));
        assertTrue(gogo("dmesg").contains("Linux version 3.15.0-kmodel"));
    }

    @Test
    public void z_taintThroughSysctlIsAddOnlyAndExact() throws Exception {
        assertEquals("kernel.tainted = 4609", gogo("sysctl -w kernel.tainted=4609"));
        assertEquals("4609", gogo("sysctl -n kernel.tainted"));
        gogo("sysctl -w kernel.tainted=0");
        assertEquals("4609", gogo("cat /proc/sys/kernel/tainted"));
        assertTrue(gogo("taint").endsWith("Tainted: P        W  O "));
        assertEquals(
                "sysctl: cannot stat /proc/sys/kernel/nope: No such file or directory".substring(8),
                gogoFails("sysctl kernel.nope"));
        assertEquals("setting key \"kernel.tainted\": Invalid argument", gogoFails("sysctl -w kernel.tainted=x"));
        assertEquals("4609", gogo("cat /proc/sys/kernel/tainted"));
    }
}
