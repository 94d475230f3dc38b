package org.kmodel.featuremgr.internal;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Starts the feature manager and installs the boot features ({@value #BOOT}, comma-separated) synchronously,
 * so they are active before the framework reports STARTED. A plain activator, not a DS component: boot
 * features must not wait for SCR's asynchronous activation. Runs at start level 2, after ConfigAdmin and SCR.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public class Activator implements BundleActivator {
    static final String FEATURES_DIR = "kmodel.features.dir";
    static final String REPO_DIR = "kmodel.repo.dir";
    static final String BOOT = "kmodel.features.boot";

    static final String STATE = "kmodel.state";

    private FeatureManager manager;
    private Object loadDirReporter;
    private StateLock stateLock;
    private BundleGate gate;
    private CommandGate commandGate;

    @Override
    public void start(BundleContext context) {
        Path features = Path.of(prop(context, FEATURES_DIR, "features"));
        Path repo = Path.of(prop(context, REPO_DIR, "system"));
        boolean booting = context.getBundle(0).getState() == Bundle.STARTING;
        String state = context.getProperty(STATE);
        if (state != null && !state.isBlank() && booting) {
            lockState(Path.of(state));
        }
        if (Boolean.parseBoolean(context.getProperty(BundleGate.LOCKDOWN))) {
            // before any feature bundle is installed and before Gogo starts: see BundleGate, CommandGate
            gate = new BundleGate(context, repo);
            gate.open();
            commandGate = new CommandGate(context);
            commandGate.open();
        }
        manager = new FeatureManager(context, features, repo);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "feature");
        props.put("osgi.command.function", new String[] {"list", "info", "install", "uninstall"});
        context.registerService(FeatureCommands.class, new FeatureCommands(manager), props);
        registerLoadDirReporter(context);
        context.registerService(org.osgi.service.cm.ConfigurationListener.class, new ProtectedConfigs(), null);
        // Boot features only while the framework boots; a restart of this bundle later must not reinstall them.
        if (booting) {
            for (String name : prop(context, BOOT, "").split(",")) {
                if (!name.isBlank()) {
                    try {
                        manager.install(name.trim());
                    } catch (FeatureException e) {
                        System.err.println("kmodel: boot feature: " + e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * One kmodel per state directory (StateLock). A second one prints one line and ends at once, before it
     * has opened or even read a disk image: halt, not exit, because exit would wait for the framework's
     * shutdown, which waits for this very start-level change.
     */
    private void lockState(Path state) {
        try {
            stateLock = StateLock.acquire(state);
        } catch (FeatureException e) {
            System.err.println("kmodel: " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    /** Only when FileInstall is there (its package is an optional import). */
    private void registerLoadDirReporter(BundleContext context) {
        try {
            LoadDirReporter r = new LoadDirReporter();
            r.open();
            context.registerService("org.apache.felix.fileinstall.ArtifactInstaller", r, null);
            loadDirReporter = r;
        } catch (NoClassDefFoundError noFileInstall) {
            loadDirReporter = null;
        }
    }

    @Override
    public void stop(BundleContext context) {
        manager.close();
        if (commandGate != null) {
            commandGate.close();
        }
        if (gate != null) {
            gate.close();
        }
        // While the framework shuts down the disk images are still written back by bundles of a lower start
        // level, after this one: then the lock stays until the process ends, which releases it.
        if (stateLock != null && context.getBundle(0).getState() != Bundle.STOPPING) {
            stateLock.close();
        }
        if (loadDirReporter != null) {
            ((LoadDirReporter) loadDirReporter).close();
        }
    }

    private static String prop(BundleContext context, String key, String def) {
        String v = context.getProperty(key);
        return v == null ? def : v;
    }
}
