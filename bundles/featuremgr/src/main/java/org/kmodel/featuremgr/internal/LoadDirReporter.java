package org.kmodel.featuremgr.internal;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarFile;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.felix.fileinstall.ArtifactInstaller;

/**
 * Turns hot-deploy failures in {@code load/} into one clear line each on the console:
 * <ul>
 * <li>a {@code *.jar} that is not a bundle (corrupt, or no Bundle-SymbolicName), which FileInstall would
 * silently skip: this installer claims exactly those files and reports them ({@code ENOEXEC});</li>
 * <li>FileInstall's own warnings and errors (a bundle that does not resolve or start), which it logs through
 * java.util.logging ({@code felix.fileinstall.log.default=jul}) without a stack trace.</li>
 * </ul>
 * The kernel keeps running either way; nothing is installed from a bad file.
 */
final class LoadDirReporter implements ArtifactInstaller {
    private static final PrintStream ERR =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private final Handler julHandler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                Throwable t = r.getThrown();
                String why = t == null ? "" : ": " + firstLine(t.getMessage() == null ? t.toString() : t.getMessage());
                ERR.println("kmodel: load: " + r.getMessage() + why);
            }
        }

        @Override
        public void flush() {
            ERR.flush();
        }

        @Override
        public void close() {
            // nothing to release
        }
    };

    void open() {
        Logger log = Logger.getLogger("fileinstall");
        log.setUseParentHandlers(false);
        log.addHandler(julHandler);
    }

    void close() {
        Logger.getLogger("fileinstall").removeHandler(julHandler);
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar") && artifact.isFile() && reason(artifact) != null;
    }

    /** Why a jar is not a bundle, or null if it is one. */
    static String reason(File jar) {
        try (JarFile j = new JarFile(jar)) {
            if (j.getManifest() == null) {
                return "no META-INF/MANIFEST.MF";
            }
            if (j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "no Bundle-SymbolicName in its manifest";
            }
            return null;
        } catch (Exception e) {
            return "not a jar (" + firstLine(String.valueOf(e.getMessage())) + ")";
        }
    }

    @Override
    public void install(File artifact) {
        report(artifact);
    }

    @Override
    public void update(File artifact) {
        report(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        // it was never installed
    }

    private static void report(File artifact) {
        String why = reason(artifact);
        if (why != null) {
            ERR.println("kmodel: load: " + artifact.getName() + ": " + why + ", not installed: Exec format error");
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
