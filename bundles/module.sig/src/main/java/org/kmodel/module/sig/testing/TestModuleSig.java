package org.kmodel.module.sig.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.ModuleSigner;
import org.kmodel.module.SystemKeyring;
import org.kmodel.module.sig.internal.BcModuleSignatureVerifier;
import org.kmodel.module.sig.internal.BuildKey;
import org.kmodel.module.sig.internal.FileKeyring;
import org.kmodel.module.sig.internal.SignFile;

/** The module signature bundle's services for a test or benchmark that runs without OSGi. */
public final class TestModuleSig {
    private TestModuleSig() {}

    /** A signing key and its self-signed certificate, as certs/Makefile generates the build key. */
    public record Key(KeyPair keyPair, X509Certificate certificate, String pem) {
        /** The certificate, DER-encoded. */
        public byte[] der() {
            try {
                return certificate.getEncoded();
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Signs {@code module} with this key (SHA-256) in {@code form}, as scripts/sign-file does. */
        public byte[] sign(byte[] module, ModuleSigner.Form form) {
            return signer().signFile("sha256", pem.getBytes(StandardCharsets.US_ASCII), der(), module, form, false);
        }
    }

    /** A new RSA key of {@code bits} with a self-signed certificate whose subject CN is {@code cn}. */
    public static Key generateKey(String cn, int bits) {
        BuildKey.Generated g = BuildKey.generate(cn, bits);
        return new Key(g.keyPair(), g.certificate(), g.pem());
    }

    /**
     * The bundle's system keyring (its {@link SystemKeyring} service), without the built-in key, holding
     * {@code certificates} (PEM or DER).
     */
    public static SystemKeyring keyring(byte[]... certificates) {
        FileKeyring keyring = new FileKeyring();
        for (byte[] c : certificates) {
            keyring.add(c);
        }
        return keyring;
    }

    /** scripts/sign-file (the bundle's {@link ModuleSigner} service). */
    public static ModuleSigner signer() {
        return new SignFile();
    }

    /** mod_verify_sig against {@code keyring} (the bundle's BouncyCastle {@link ModuleSignatureVerifier}). */
    public static ModuleSignatureVerifier verifier(SystemKeyring keyring) {
        return new BcModuleSignatureVerifier(keyring);
    }
}
