package org.kmodel.featuremgr.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Code runs in the kernel only by the kernel's own rules. Module code must pass the module loader (signature
 * check, taint) as in kernel/module/main.c {@code load_module}; a bundle that did not come through it (or from
 * the distribution itself) never resolves, so none of its classes load and no activator or component runs.
 * A bundle may resolve if and only if:
 * <ul>
 * <li>it was installed before this gate opened (the launcher's own bundles, from {@code kmodel.home});</li>
 * <li>the feature manager installed it from the distribution's repository directory ({@code system/});</li>
 * <li>the module loader installed it, at a {@code kmodule:} location, after the loader's checks.</li>
 * </ul>
 * Everything else is refused, however it was installed: a jar FileInstall picked up from {@code load/} while
 * no loader ran, Gogo's reflective {@code ${.context} installBundle ...}, a bundle of another origin. A bundle
 * updated in place (new content at an old location) loses its trust: only a reinstall through one of the three
 * ways above brings code back. Enabled by the boot property {@value #LOCKDOWN} (the distribution sets it);
 * nothing at runtime can turn it off.
 */
final class BundleGate implements ResolverHookFactory, SynchronousBundleListener {
    static final String LOCKDOWN = "kmodel.lockdown";
    static final String LOADER_BSN = "org.kmodel.module";
    static final String LOADER_LOCATION = "kmodule:";

    private final BundleContext context;
    private final Path repo;
    private final Set<Long> trusted = ConcurrentHashMap.newKeySet();
    private ServiceRegistration<ResolverHookFactory> registration;

    BundleGate(BundleContext context, Path repo) {
        this.context = context;
        this.repo = repo.toAbsolutePath().normalize();
    }

    void open() {
        context.addBundleListener(this);
        for (Bundle b : context.getBundles()) {
            trusted.add(b.getBundleId());
        }
        registration = context.registerService(ResolverHookFactory.class, this, null);
    }

    void close() {
        // The gate goes only with the framework: the feature manager is a boot bundle no command can stop.
        if (registration != null) {
            registration.unregister();
        }
        context.removeBundleListener(this);
    }

    boolean isTrusted(long id) {
        return id == 0 || trusted.contains(id);
    }

    @Override
    public void bundleChanged(BundleEvent e) {
        long id = e.getBundle().getBundleId();
        switch (e.getType()) {
            case BundleEvent.INSTALLED:
                if (trustedInstall(e.getOrigin(), e.getBundle().getLocation())) {
                    trusted.add(id);
                }
                break;
            case BundleEvent.UPDATED:
            case BundleEvent.UNINSTALLED:
                trusted.remove(id);
                break;
            default:
                break;
        }
    }

    /** Whether {@code origin} installing {@code location} is one of the two trusted ways after boot. */
    boolean trustedInstall(Bundle origin, String location) {
        if (origin == null || !trusted.contains(origin.getBundleId())) {
            return false;
        }
        if (origin.getBundleId() == context.getBundle().getBundleId()) {
            return insideRepo(location);
        }
        return LOADER_BSN.equals(origin.getSymbolicName()) && location.startsWith(LOADER_LOCATION);
    }

    /** {@code reference:file:...} or {@code file:...} naming a file below the repository, after normalising. */
    boolean insideRepo(String location) {
        String s = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try {
            URI u = new URI(s);
            if (!"file".equals(u.getScheme())) {
                return false;
            }
            return Path.of(u).toAbsolutePath().normalize().startsWith(repo);
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                candidates.removeIf(r -> !isTrusted(r.getBundle().getBundleId()));
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
                // no opinion
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                // no opinion
            }

            @Override
            public void end() {
                // nothing held
            }
        };
    }
}
