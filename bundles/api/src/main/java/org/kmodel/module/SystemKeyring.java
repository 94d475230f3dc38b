package org.kmodel.module;

import java.security.cert.X509Certificate;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The system keyring ({@code .system_keyring} in 3.13–4.x, {@code .builtin_trusted_keys} later;
 * certs/system_keyring.c): the X.509 certificates module signatures are checked against.
 */
@ProviderType
public interface SystemKeyring {
    /** Trusted certificates, in load order (the build key first). */
    List<X509Certificate> certificates();

    /** The keys as {@code /proc/keys} would describe them: {@code "<signer>: <hex key id>"}. */
    List<String> descriptions();

    /** Adds a certificate (PEM or DER), like {@code keyctl padd asymmetric "" %:.system_keyring}. */
    X509Certificate add(byte[] pemOrDer);
}
