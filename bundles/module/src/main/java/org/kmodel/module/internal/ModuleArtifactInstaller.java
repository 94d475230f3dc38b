package org.kmodel.module.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.apache.felix.fileinstall.ArtifactListener;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleHeaders;
import org.kmodel.module.ModuleLoader;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Hot deploy: a module file dropped into FileInstall's {@code load/} directory goes through the same
 * loader as {@code insmod} (signature, taint and all), and deleting the file is {@code rmmod}. A module
 * file is a {@code *.ko}, or a jar whose manifest carries module headers; any other jar is left to
 * FileInstall, which installs it as a plain bundle.
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
        return n.endsWith(".jar") && hasModuleHeaders(artifact);
    }

    static boolean hasModuleHeaders(File f) {
        try (InputStream in = Files.newInputStream(f.toPath()); JarInputStream jar = new JarInputStream(in)) {
            Manifest mf = jar.getManifest();
            return mf != null && (mf.getMainAttributes().getValue(ModuleHeaders.NAME) != null
                    || mf.getMainAttributes().getValue(ModuleHeaders.LICENSE) != null);
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
            log.warn("load/: could not insert module " + artifact.getName() + ": " + e.errno().strerror());
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
