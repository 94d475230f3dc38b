package org.kmodel.module;

import org.kmodel.kernel.KernelRelease;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The signature verifier (kernel/module/signing.c {@code mod_verify_sig}, certs/system_keyring.c
 * {@code verify_pkcs7_signature}; 3.x: kernel/module_signing.c). Swappable: the loader uses the
 * highest-ranked service. An implementation never throws for bad input; every failure is an errno in
 * the returned {@link SignatureCheck}.
 */
@ConsumerType
public interface ModuleSignatureVerifier {
    /**
     * Checks the signature appended to {@code image} against the system keyring, accepting the
     * signature form of {@code release} (PKCS#7 from 4.3, the X.509 form before).
     */
    SignatureCheck modVerifySig(byte[] image, KernelRelease release);

    /**
     * Parses the trailer without checking trust, for {@code modinfo}; {@code null} if unsigned.
     * Throws {@code KernelException(EBADMSG)} for a malformed trailer.
     */
    SignatureInfo describe(byte[] image);
}
