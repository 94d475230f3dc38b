package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.itests.support.KernelTestSupport;
import org.kmodel.itests.support.TestBundle;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * A higher-ranked ProcFs appears at runtime; the shell's dynamic greedy reference rebinds to it without
 * re-activation; when it goes away the shell falls back to the kernel's own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends KernelTestSupport {
    @Configuration
    public Option[] config() {
        return kernel();
    }

    static File patchBundle(File jar) throws Exception {
        return new TestBundle("org.kmodel.itests.patch")
                .importPackage("org.kmodel.kernel;version=\"[1.0,2)\"")
                .add("org.kmodel.itests.PatchedProcFs")
                .component(
                        "patched-procfs",
                        "org.kmodel.itests.PatchedProcFs",
                        "org.kmodel.kernel.ProcFs",
                        "service.ranking:Integer=100")
                .write(jar);
    }

    @Test
    public void higherRankedImplementationTakesOverAndGoesAway() throws Exception {
        assertTrue(gogo("cat /proc/version").startsWith("Linux version 3.15.0-kmodel"));
        File jar = patchBundle(new File(WORK, "HotSwapIT/patch.jar"));
        Bundle patch = context.installBundle(jar.toURI().toString());
        patch.start();
        assertEquals("patched /proc/version", awaitGogo("cat /proc/version", "patched"));
        patch.uninstall();
        assertTrue(awaitGogo("cat /proc/version", "Linux version").startsWith("Linux version 3.15.0-kmodel"));
    }
}
