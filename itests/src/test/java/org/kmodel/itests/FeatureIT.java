package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

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

/**
 * Features installed and removed at runtime through the feature manager. This test class boots only the
 * runtime and the feature manager (no kernel bundles) and never touches a kmodel API type, so uninstalling
 * the API cannot rewire the test probe (docs/ARCHITECTURE.md#osgi-pitfalls-worth-knowing).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureIT extends KernelTestSupport {
    @Configuration
    public Option[] config() {
        return options(
                junitBundles(),
                cleanCaches(true),
                frameworkProperty("kmodel.features.dir").value(new File(DIST, "features").getAbsolutePath()),
                frameworkProperty("kmodel.repo.dir").value(new File(DIST, "system").getAbsolutePath()),
                bundle(file("bundle/org.osgi.util.function.jar")),
                bundle(file("bundle/org.osgi.util.promise.jar")),
                bundle(file("bundle/org.osgi.util.pushstream.jar")),
                bundle(file("bundle/org.osgi.service.log.jar")),
                bundle(file("bundle/org.osgi.service.component.jar")),
                bundle(file("bundle/org.apache.felix.scr.jar")),
                bundle(file("bundle/org.apache.felix.configadmin.jar")),
                bundle(file("bundle/org.apache.felix.gogo.runtime.jar")),
                bundle(file("boot/org.kmodel.featuremgr.jar")));
    }

    @Test
    public void coreFeatureInstalledAndRemovedAtRuntime() throws Exception {
        assertTrue(gogoFails("uname -r").contains("Command not found"));
        assertTrue(gogo("feature:list").matches("(?s).*core +\\S+ +no +4 .*"));
        gogo("feature:install core");
        assertEquals("3.15.0-kmodel", awaitGogo("uname -r", "3.15"));
        assertTrue(gogo("feature:list").matches("(?s).*core +\\S+ +yes +4 .*"));
        assertTrue(gogoFails("feature:install core").endsWith("is already installed: File exists"));
        gogo("feature:uninstall core");
        assertNull(installedBundle("org.kmodel.kernel"));
        assertNull(installedBundle("org.kmodel.api"));
        assertTrue(gogoFails("uname -r").contains("Command not found"));
    }

    @Test
    public void featureConfigurationsReachComponentsAtFirstActivation() throws Exception {
        File json = new File(WORK, "FeatureIT/box.json");
        json.getParentFile().mkdirs();
        String core = Files.readString(new File(DIST, "features/core.json").toPath());
        Files.writeString(
                json.toPath(), core.replace("\"kernel.hostname\": \"kmodel\"", "\"kernel.hostname\": \"box\""));
        gogo("feature:install " + json.getAbsolutePath());
        assertEquals("box", awaitGogo("sysctl -n kernel.hostname", "box"));
        gogo("feature:uninstall box");
        assertNull(installedBundle("org.kmodel.kernel"));
    }

    @Test
    public void malformedFeatureFileIsRefusedAndChangesNothing() throws Exception {
        File json = new File(WORK, "FeatureIT/broken.json");
        json.getParentFile().mkdirs();
        Files.writeString(json.toPath(), "{ \"id\": \"org.kmodel:x:osgifeature:broken:1\", \"bundles\": [ { \"id\": ");
        int before = context.getBundles().length;
        String error = gogoFails("feature:install " + json.getAbsolutePath());
        assertTrue(error, error.startsWith("broken.json: line 1, column "));
        assertTrue(error, error.endsWith(": Invalid argument"));
        assertEquals(before, context.getBundles().length);
        String missing = gogoFails("feature:install no-such-feature");
        assertTrue(missing, missing.endsWith("No such file or directory"));
    }
}
