package org.kmodel.itests;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.kmodel.itests.support.KernelTestSupport;

/**
 * Every feature of the distribution names only bundles the distribution ships: a bundle added to a feature
 * JSON but not to features/pom.xml fails here, at build time, instead of at feature:install.
 */
public class FeatureFilesIT {
    @Test
    public void everyFeatureBundleIsInSystem() {
        File[] features = new File(KernelTestSupport.DIST, "features").listFiles((d, n) -> n.endsWith(".json"));
        assertTrue("no features in " + KernelTestSupport.DIST, features != null && features.length > 0);
        List<String> missing = new ArrayList<>();
        for (File f : features) {
            String name = f.getName().replaceFirst("\\.json$", "");
            List<String> bundles = KernelTestSupport.featureBundles(name);
            assertTrue(name + " names no bundles", !bundles.isEmpty());
            for (String coordinates : bundles) {
                try {
                    KernelTestSupport.systemJar(coordinates);
                } catch (IllegalStateException e) {
                    missing.add(name + ": " + coordinates + " (add it to features/pom.xml)");
                }
            }
        }
        assertTrue("bundles missing from system/: " + missing, missing.isEmpty());
    }
}
