package org.kmodel.module;

import org.osgi.annotation.versioning.ProviderType;

/** {@code scripts/sign-file}: appends a kernel-format signature to a module. */
@ProviderType
public interface ModuleSigner {
    /** The two trailer forms. */
    enum Form {
        /** 4.3+: detached CMS without certificates or signed attributes, id_type 2. */
        PKCS7,
        /** 3.7–4.2: signer name, key id, MPI-prefixed raw RSA signature, id_type 1. */
        X509
    }

    /**
     * Signs {@code module} (any bytes; a signature already present is signed over, as sign-file does).
     *
     * @param hash   an OpenSSL digest name: sha1, sha224, sha256, sha384, sha512
     * @param key    the private key, PEM (may also contain the certificate)
     * @param x509   the certificate, PEM or DER
     * @param keyId  identify the signer by subject key identifier ({@code sign-file -k}); PKCS#7 only
     * @return the signed module
     */
    byte[] signFile(String hash, byte[] key, byte[] x509, byte[] module, Form form, boolean keyId);
}
