package org.kmodel.module.sig.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.module.SignatureInfo;

/**
 * The 3.7–4.2 signature form (kernel/module_signing.c {@code mod_verify_sig}): the key is looked up
 * by {@code "<signer>: <hex key id>"} ({@code request_asymmetric_key}), the MPI is extracted, and the
 * raw RSA PKCS#1 v1.5 signature is checked over the payload's digest.
 */
final class X509FormVerify {
    private X509FormVerify() {
    }

    static void verify(byte[] file, SigTrailer.X509Form f, List<X509Certificate> trusted) {
        X509Certificate key = requestAsymmetricKey(f, trusted);
        byte[] rsa = SigTrailer.extractMpi(f.sig());
        HashAlgo h = HashAlgo.byIndex(f.info().hash());
        try {
            Signature s = signature(h);
            s.initVerify(key.getPublicKey());
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

    /** The JDK's provider where it has the digest (SHA-2 with CPU intrinsics), BouncyCastle for the rest. */
    private static Signature signature(HashAlgo h) throws GeneralSecurityException {
        try {
            return Signature.getInstance(h.jcaRsa());
        } catch (java.security.NoSuchAlgorithmException e) {
            return Signature.getInstance(h.jcaRsa(), Certs.BC);
        }
    }

    private static X509Certificate requestAsymmetricKey(SigTrailer.X509Form f, List<X509Certificate> trusted) {
        String signer = new String(f.signer(), StandardCharsets.UTF_8);
        for (X509Certificate c : trusted) {
            if (Certs.signerName(c).equals(signer) && Arrays.equals(Certs.subjectKeyId(c), f.keyId())) {
                return c;
            }
        }
        throw new KernelException(Errno.ENOKEY,
                "Request for unknown module key '" + signer + ": " + Certs.hex(f.keyId(), "", false) + "'");
    }

    static SignatureInfo describe(SigTrailer.X509Form f) {
        byte[] sig = f.sig().length > 2 ? Arrays.copyOfRange(f.sig(), 2, f.sig().length) : new byte[0];
        return new SignatureInfo("X509", new String(f.signer(), StandardCharsets.UTF_8),
                Certs.hex(f.keyId(), ":", true), HashAlgo.byIndex(f.info().hash()).kernelName(),
                Certs.hex(sig, ":", true), f.info().sigLen());
    }
}
