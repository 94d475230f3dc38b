package org.kmodel.module.sig.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.kmodel.kernel.KernelException;
import org.kmodel.module.SystemKeyring;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The system keyring (certs/system_keyring.c {@code load_system_certificate_list}): the build key
 * compiled into the bundle ({@code certs/signing_key.x509}, like the key built into vmlinux) plus every
 * X.509 certificate, PEM or DER, in the key directory. A file that is not a certificate is skipped
 * with a log line, as the kernel skips a bad entry of its certificate list.
 */
@Component(service = SystemKeyring.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class FileKeyring implements SystemKeyring {
    /** Where the build puts the key it generated. */
    static final String BUILD_KEY = "/certs/signing_key.x509";
    /**
     * The certificate directory, a boot property (./kmodel -D kmodel.module.keydir=DIR); unset means
     * ${kmodel.home}/certs. Not ConfigAdmin: keys are trusted only from the build and this directory as the
     * kernel boots, and nothing dropped into load/ can add a key (docs/hardening.md).
     */
    static final String KEY_DIR = "kmodel.module.keydir";

    private static final Logger LOG = Logger.getLogger(FileKeyring.class.getName());

    private final List<X509Certificate> certs = new CopyOnWriteArrayList<>();
    /** The verifier's view of {@link #certs}, rebuilt whenever a certificate is added. */
    private volatile TrustedKeys index = new TrustedKeys(List.of());

    public FileKeyring() {}

    @Activate
    public FileKeyring(BundleContext ctx) {
        loadBuildKey();
        String dir = ctx.getProperty(KEY_DIR);
        loadDirectory(
                Paths.get(dir == null || dir.isBlank() ? System.getProperty("kmodel.home", ".") + "/certs" : dir));
    }

    private void loadBuildKey() {
        try (InputStream in = FileKeyring.class.getResourceAsStream(BUILD_KEY)) {
            if (in != null) {
                addAll(Certs.readCertificates(in.readAllBytes()));
            }
        } catch (IOException | KernelException e) {
            LOG.warning("build key: " + e.getMessage());
        }
    }

    /** Loads every certificate file of {@code dir}, in name order; a missing directory is empty. */
    public void loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(files::add);
        } catch (IOException e) {
            LOG.warning("keyring: " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        for (Path f : files) {
            if (!Files.isRegularFile(f) || f.getFileName().toString().endsWith(".pem") && isPrivateOnly(f)) {
                continue;
            }
            try {
                addAll(Certs.readCertificates(Files.readAllBytes(f)));
            } catch (IOException | KernelException e) {
                LOG.warning("Problem loading X.509 certificate " + f + ": " + e.getMessage());
            }
        }
    }

    private static boolean isPrivateOnly(Path f) {
        try {
            String s = Files.readString(f, java.nio.charset.StandardCharsets.US_ASCII);
            return !s.contains("BEGIN CERTIFICATE");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private synchronized void addAll(List<X509Certificate> list) {
        for (X509Certificate c : list) {
            if (!certs.contains(c)) {
                certs.add(c);
            }
        }
        index = new TrustedKeys(certs);
    }

    /** The certificates with their keys and ids extracted, for lookups (see {@link TrustedKeys}). */
    TrustedKeys index() {
        return index;
    }

    @Override
    public List<X509Certificate> certificates() {
        return List.copyOf(certs);
    }

    @Override
    public List<String> descriptions() {
        return certs.stream().map(Certs::description).toList();
    }

    @Override
    public X509Certificate add(byte[] pemOrDer) {
        List<X509Certificate> list = Certs.readCertificates(pemOrDer);
        addAll(list);
        return list.get(0);
    }
}
