package org.kmodel.module.internal;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.apache.felix.fileinstall.ArtifactListener;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleLoader;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Hot deploy: a module file dropped into FileInstall's {@code load/} directory goes through the same
 * loader as {@code insmod} (signature, taint and all), and deleting the file is {@code rmmod}.
 * <p>
 * Every {@code *.ko} and every {@code *.jar} that is a bundle is a module here, with or without
 * {@code Kmodel-*} headers: code that runs in the kernel is a module, whatever its manifest says, and a jar
 * whose module headers were stripped is still code. Without headers the loader names the module after the
 * Bundle-SymbolicName and applies the same signature policy (unsigned: taint E, or refused when enforcing).
 * A jar that is not a bundle is left to the feature manager's reporter (ENOEXEC). So FileInstall itself never
 * installs code from {@code load/}; should it ever (no loader running), the bundle gate refuses to resolve
 * what it installed. The rule and its reasons: docs/hardening.md.
 */
@Component(service = {ArtifactInstaller.class, ArtifactListener.class})
public class ModuleArtifactInstaller implements ArtifactInstaller {
    private final ModuleLoader loader;
    private final KernelLog log;
    /** File → module name, so deleting the file unloads what it loaded. */
    private final Map<File, String> deployed = new ConcurrentHashMap<>();

    @Activate
    public ModuleArtifactInstaller(@Reference ModuleLoader loader, @Reference KernelLog log) {
        this.loader = loader;
        this.log = log;
    }

    @Override
    public boolean canHandle(File artifact) {
        String n = artifact.getName();
        if (n.endsWith(".ko")) {
            return true;
        }
        return n.endsWith(".jar") && isBundle(artifact);
    }

    /**
     * A jar with a manifest naming a Bundle-SymbolicName: what FileInstall would install as a bundle. Read with
     * JarFile, as the feature manager's reporter reads it, so every jar is claimed by exactly one of the two.
     */
    static boolean isBundle(File f) {
        try (JarFile jar = new JarFile(f)) {
            Manifest mf = jar.getManifest();
            return mf != null && mf.getMainAttributes().getValue("Bundle-SymbolicName") != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void install(File artifact) throws Exception {
        try {
            KernelModule m = loader.insmod(artifact.toPath(), false, List.of());
            deployed.put(artifact, m.name());
        } catch (KernelException e) {
            // What insmod would print; FileInstall also logs the failure and retries on change.
            log.warn("load/: could not insert module " + artifact.getName() + ": "
                    + e.errno().strerror());
            throw e;
        }
    }

    @Override
    public void update(File artifact) throws Exception {
        uninstall(artifact);
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) throws Exception {
        String name = deployed.remove(artifact);
        if (name != null && loader.find(name) != null) {
            loader.rmmod(name, false);
        }
    }
}
