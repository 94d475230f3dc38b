package org.kmodel.featuremgr.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Installs and removes features. A feature install is all or nothing: bundles are installed first, then the
 * configurations applied (so components see them at their first activation), then the bundles started; if
 * any step fails, what this call added is removed again. Bundles are shared between features: a bundle goes
 * away only with the last installed feature that names it, and never if the manager did not install it.
 */
final class FeatureManager {
    private final BundleContext context;
    private final Path featuresDir;
    private final Path repoDir;
    private final ServiceTracker<Object, Object> configAdmin;
    /** Installed feature name to the feature and the bundles it uses. */
    private final Map<String, Installed> installed = new LinkedHashMap<>();
    /** Bundles this manager installed (by location). */
    private final Set<String> ownLocations = new HashSet<>();

    static final class Installed {
        final Feature feature;
        final List<String> locations;
        final List<String> configPids;

        Installed(Feature feature, List<String> locations, List<String> configPids) {
            this.feature = feature;
            this.locations = locations;
            this.configPids = configPids;
        }
    }

    FeatureManager(BundleContext context, Path featuresDir, Path repoDir) {
        this.context = context;
        this.featuresDir = featuresDir;
        this.repoDir = repoDir;
        this.configAdmin = new ServiceTracker<>(context, "org.osgi.service.cm.ConfigurationAdmin", null);
        this.configAdmin.open();
    }

    void close() {
        configAdmin.close();
    }

    /** Every feature file in the features directory, by name. */
    synchronized Map<String, Feature> available() {
        Map<String, Feature> map = new TreeMap<>();
        if (!Files.isDirectory(featuresDir)) {
            return map;
        }
        try (Stream<Path> files = Files.list(featuresDir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
                try {
                    map.put(nameOf(f), Feature.read(f));
                } catch (FeatureException malformed) {
                    map.put(nameOf(f), null);
                }
            }
        } catch (IOException e) {
            throw new FeatureException(featuresDir.toString(), FeatureException.ENOENT, e);
        }
        return map;
    }

    synchronized boolean isInstalled(String name) {
        return installed.containsKey(name);
    }

    synchronized Installed installedFeature(String name) {
        return installed.get(name);
    }

    /** A feature by name (features/NAME.json) or by path to a .json file. */
    Feature find(String nameOrPath) {
        Path p = nameOrPath.endsWith(".json") ? Path.of(nameOrPath) : featuresDir.resolve(nameOrPath + ".json");
        if (!Files.isRegularFile(p)) {
            throw new FeatureException(
                    "feature '" + nameOrPath + "' not found in " + featuresDir, FeatureException.ENOENT);
        }
        return Feature.read(p);
    }

    private static String nameOf(Path f) {
        return f.getFileName().toString().replaceFirst("\\.json$", "");
    }

    synchronized void install(String nameOrPath) {
        Feature f = find(nameOrPath);
        if (installed.containsKey(f.name)) {
            throw new FeatureException("feature '" + f.name + "' is already installed", FeatureException.EEXIST);
        }
        List<Path> jars = new ArrayList<>();
        for (String coordinates : f.bundles) {
            Path jar = repoDir.resolve(Feature.repoPath(coordinates)).normalize();
            if (!jar.startsWith(repoDir.normalize())) {
                throw new FeatureException(
                        "feature '" + f.name + "': bundle " + coordinates + " is outside " + repoDir,
                        FeatureException.EINVAL);
            }
            if (!Files.isRegularFile(jar)) {
                throw new FeatureException(
                        "feature '" + f.name + "': bundle " + coordinates + " not in " + repoDir,
                        FeatureException.ENOENT);
            }
            jars.add(jar);
        }
        List<Bundle> added = new ArrayList<>();
        List<String> createdPids = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        try {
            List<Bundle> bundles = new ArrayList<>();
            for (Path jar : jars) {
                // by reference: the framework reads the jar in place instead of copying it into its cache
                String location = "reference:" + jar.toUri();
                Bundle existing = context.getBundle(location);
                Bundle b = existing != null ? existing : context.installBundle(location);
                if (existing == null) {
                    added.add(b);
                }
                bundles.add(b);
                locations.add(location);
            }
            createdPids.addAll(Configs.apply(configAdmin.getService(), f.configurations));
            for (Bundle b : bundles) {
                if (b.getHeaders().get("Fragment-Host") == null) {
                    b.start();
                }
            }
        } catch (BundleException | RuntimeException e) {
            rollback(added, createdPids);
            String why = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new FeatureException(
                    "feature '" + f.name + "': " + why,
                    e instanceof FeatureException ? FeatureException.EINVAL : FeatureException.ENOEXEC,
                    e);
        }
        for (Bundle b : added) {
            ownLocations.add(b.getLocation());
        }
        installed.put(f.name, new Installed(f, locations, createdPids));
    }

    private void rollback(List<Bundle> added, List<String> pids) {
        for (Bundle b : added) {
            try {
                b.uninstall();
            } catch (BundleException | IllegalStateException ignored) {
                // already gone
            }
        }
        Configs.delete(configAdmin.getService(), pids);
        refresh(added);
    }

    synchronized void uninstall(String name) {
        Installed inst = installed.get(name);
        if (inst == null) {
            throw new FeatureException("feature '" + name + "' is not installed", FeatureException.ENOENT);
        }
        installed.remove(name);
        Set<String> stillNeeded = new HashSet<>();
        for (Installed other : installed.values()) {
            stillNeeded.addAll(other.locations);
        }
        List<Bundle> removed = new ArrayList<>();
        for (String location : inst.locations) {
            Bundle b = context.getBundle(location);
            if (b != null && ownLocations.contains(location) && !stillNeeded.contains(location)) {
                try {
                    b.uninstall();
                    removed.add(b);
                    ownLocations.remove(location);
                } catch (BundleException | IllegalStateException e) {
                    // keep going: the other bundles of the feature must still go
                }
            }
        }
        Configs.delete(configAdmin.getService(), inst.configPids);
        refresh(removed);
    }

    /** Refreshes the wiring after uninstalls and waits for it, so the caller sees a settled framework. */
    private void refresh(Collection<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized List<String> installedNames() {
        return new ArrayList<>(installed.keySet());
    }
}
