package org.kmodel.module.sig.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleSigner.Form;
import org.kmodel.module.SystemKeyring;

/**
 * The keyring index the verifier searches (keys parsed once, looked up by id): it must answer exactly what
 * the linear search over the keyring did, and follow the keyring when a key is added.
 */
class TrustedKeysTest {
    private final byte[] module = TestKeys.payload(5_000);

    private byte[] sign(BuildKey.Generated key, Form form, boolean keyId) {
        return new SignFile().signFile("sha256", TestKeys.pem(key), TestKeys.der(key), module, form, keyId);
    }

    @Test
    void keyAddedToTheFileKeyringAfterBootIsFoundByEveryLookup() {
        FileKeyring keyring = TestKeys.keyring();
        BcModuleSignatureVerifier v = new BcModuleSignatureVerifier(keyring);
        byte[] byIssuer = sign(TestKeys.OTHER, Form.PKCS7, false);
        byte[] bySkid = sign(TestKeys.OTHER, Form.PKCS7, true);
        byte[] x509 = sign(TestKeys.OTHER, Form.X509, false);
        assertEquals(Errno.ENOKEY, v.modVerifySig(byIssuer, KernelRelease.V6_18).error());
        keyring.add(TestKeys.der(TestKeys.OTHER)); // keyctl padd: the index is rebuilt
        assertNull(v.modVerifySig(byIssuer, KernelRelease.V6_18).error());
        assertNull(v.modVerifySig(bySkid, KernelRelease.V6_18).error());
        assertNull(v.modVerifySig(x509, KernelRelease.V3_15).error());
    }

    @Test
    void anotherKeyringImplementationIsReindexedWhenItsCertificatesChange() {
        List<X509Certificate> certs = new ArrayList<>(List.of(TestKeys.TRUSTED.certificate()));
        SystemKeyring keyring = new SystemKeyring() {
            @Override
            public List<X509Certificate> certificates() {
                return List.copyOf(certs);
            }

            @Override
            public List<String> descriptions() {
                return List.of();
            }

            @Override
            public X509Certificate add(byte[] pemOrDer) {
                throw new UnsupportedOperationException();
            }
        };
        BcModuleSignatureVerifier v = new BcModuleSignatureVerifier(keyring);
        byte[] signed = sign(TestKeys.OTHER, Form.PKCS7, false);
        TrustedKeys first = v.trustedKeys();
        assertSame(first, v.trustedKeys(), "same certificates: the index is reused");
        assertEquals(Errno.ENOKEY, v.modVerifySig(signed, KernelRelease.V6_18).error());
        certs.add(TestKeys.OTHER.certificate());
        assertNull(v.modVerifySig(signed, KernelRelease.V6_18).error());
        certs.remove(1);
        assertEquals(Errno.ENOKEY, v.modVerifySig(signed, KernelRelease.V6_18).error(), "a removed key is gone");
    }

    @Test
    void lookupsAnswerLikeTheLinearSearchFirstInLoadOrder() throws Exception {
        X509Certificate a = TestKeys.TRUSTED.certificate();
        X509Certificate b = TestKeys.OTHER.certificate();
        TrustedKeys k = new TrustedKeys(List.of(a, b, a));
        assertSame(a, k.bySkid(Certs.subjectKeyId(a)).cert());
        assertSame(
                b,
                k.byIssuerSerial(b.getIssuerX500Principal().getEncoded(), b.getSerialNumber())
                        .cert());
        assertSame(
                b, k.byNameAndSkid(Certs.signerName(b), Certs.subjectKeyId(b)).cert());
        assertNull(k.byNameAndSkid(Certs.signerName(a), Certs.subjectKeyId(b)), "name and id must both match");
        assertNull(k.byIssuerSerial(a.getIssuerX500Principal().getEncoded(), b.getSerialNumber()));
        assertNull(k.bySkid(new byte[0]));
        assertEquals(3, k.all().size());
        // the public key is the JDK's own class (SunRsaSign), whatever provider made the certificate
        assertTrue(
                k.bySkid(Certs.subjectKeyId(a)).publicKey().getClass().getName().startsWith("sun.security"));
    }
}
