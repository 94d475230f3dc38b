package org.kmodel.module.sig.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.module.SignatureInfo;

/**
 * The 3.7–4.2 signature form (kernel/module_signing.c {@code mod_verify_sig}): the key is looked up
 * by {@code "<signer>: <hex key id>"} ({@code request_asymmetric_key}), the MPI is extracted, and the
 * raw RSA PKCS#1 v1.5 signature is checked over the payload's digest.
 */
final class X509FormVerify {
    private X509FormVerify() {}

    static void verify(byte[] file, SigTrailer.X509Form f, TrustedKeys trusted) {
        TrustedKeys.Key key = requestAsymmetricKey(f, trusted);
        byte[] rsa = SigTrailer.extractMpi(f.sig());
        HashAlgo h = HashAlgo.byIndex(f.info().hash());
        try {
            Signature s = Verifiers.get(h.jcaRsa());
            s.initVerify(key.publicKey());
            s.update(file, 0, f.payloadLength());
            if (!s.verify(rsa)) {
                throw new KernelException(Errno.EKEYREJECTED, "module signature: RSA verification failed");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof KernelException k) {
                throw k;
            }
            // A garbled MPI that is not a valid RSA value is a rejected signature, as in rsa.c.
            throw new KernelException(Errno.EKEYREJECTED, "module signature: " + e.getMessage(), e);
        }
    }

    private static TrustedKeys.Key requestAsymmetricKey(SigTrailer.X509Form f, TrustedKeys trusted) {
        String signer = new String(f.signer(), StandardCharsets.UTF_8);
        TrustedKeys.Key k = trusted.byNameAndSkid(signer, f.keyId());
        if (k != null) {
            return k;
        }
        throw new KernelException(
                Errno.ENOKEY,
                "Request for unknown module key '" + signer + ": " + Certs.hex(f.keyId(), "", false) + "'");
    }

    static SignatureInfo describe(SigTrailer.X509Form f) {
        byte[] sig = f.sig().length > 2 ? Arrays.copyOfRange(f.sig(), 2, f.sig().length) : new byte[0];
        return new SignatureInfo(
                "X509",
                new String(f.signer(), StandardCharsets.UTF_8),
                Certs.hex(f.keyId(), ":", true),
                HashAlgo.byIndex(f.info().hash()).kernelName(),
                Certs.hex(sig, ":", true),
                f.info().sigLen());
    }
}
