package org.kmodel.module.sig.testing;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.ModuleSigner;
import org.kmodel.module.SystemKeyring;
import org.kmodel.module.sig.internal.BcModuleSignatureVerifier;
import org.kmodel.module.sig.internal.BuildKey;
import org.kmodel.module.sig.internal.SignFile;

/** The module signature bundle's services for a test or benchmark that runs without OSGi. */
public final class TestModuleSig {
    private TestModuleSig() {}

    /** A signing key and its self-signed certificate, as certs/Makefile generates the build key. */
    public record Key(KeyPair keyPair, X509Certificate certificate, String pem) {
    }

    /** A new RSA key of {@code bits} with a self-signed certificate whose subject CN is {@code cn}. */
    public static Key generateKey(String cn, int bits) {
        BuildKey.Generated g = BuildKey.generate(cn, bits);
        return new Key(g.keyPair(), g.certificate(), g.pem());
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
