package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.File;
import java.nio.file.Files;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.itests.support.KernelTestSupport;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** FileInstall: a bundle dropped into load/ is installed and started; deleting it removes it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT extends KernelTestSupport {
    static final File LOAD = new File(WORK, "HotDeployIT/load");

    @Configuration
    public Option[] config() {
        return kernel(hotDeployDir(LOAD));
    }

    @Test
    public void bundleDroppedIntoLoadIsInstalledAndRemoved() throws Exception {
        File jar = HotSwapIT.patchBundle(new File(LOAD, "patch.jar"));
        await("FileInstall to install the patch", () -> installedBundle("org.kmodel.itests.patch") != null);
        assertEquals("patched /proc/version", awaitGogo("cat /proc/version", "patched"));
        Files.delete(jar.toPath());
        await("FileInstall to remove the patch", () -> installedBundle("org.kmodel.itests.patch") == null);
        awaitGogo("cat /proc/version", "Linux version 3.15.0-kmodel");
    }

    @Test
    public void sysctlConfigurationDroppedIntoLoadAppliesAndGoesAway() throws Exception {
        File cfg = new File(LOAD, "org.kmodel.kernel.sysctl.cfg");
        Files.writeString(cfg.toPath(), "kernel.hostname = cfgbox\nvm.max_map_count = 65530\n");
        assertEquals("vm.max_map_count = 65530", awaitGogo("sysctl vm.max_map_count", "65530"));
        assertEquals("cfgbox", gogo("uname -n"));
        Files.delete(cfg.toPath());
        awaitGogo("uname -n", "kmodel");
        assertEquals(
                "cannot stat /proc/sys/vm/max_map_count: No such file or directory",
                gogoFails("sysctl vm.max_map_count"));
    }

    @Test
    public void corruptJarInLoadLeavesTheKernelRunning() throws Exception {
        File bad = new File(LOAD, "corrupt.jar");
        Files.write(bad.toPath(), "this is not a zip file".getBytes());
        Thread.sleep(800); // several FileInstall polls
        assertEquals("3.15.0-kmodel", gogo("uname -r"));
        assertNull(installedBundle("corrupt"));
        Files.delete(bad.toPath());
    }
}
