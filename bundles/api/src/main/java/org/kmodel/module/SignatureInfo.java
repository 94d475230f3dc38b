package org.kmodel.module;

/**
 * The appended signature of a module as {@code modinfo} shows it (kmod libkmod-signature.c
 * {@code kmod_module_signature_info}).
 *
 * @param idType    {@code "PKCS#7"} (id_type 2, 4.3+) or {@code "X509"} (id_type 1, 3.7–4.2)
 * @param signer    the signer's name (X.509 form) or the issuer's common name (PKCS#7)
 * @param keyId     colon-separated upper-case hex: the key id (X.509 form), the subject key identifier
 *                  or the serial number (PKCS#7)
 * @param hashAlgo  {@code sha256}, ...
 * @param signature colon-separated upper-case hex of the raw signature
 * @param sigLen    {@code sig_len} of the trailer
 */
public record SignatureInfo(
        String idType, String signer, String keyId, String hashAlgo, String signature, long sigLen) {}
