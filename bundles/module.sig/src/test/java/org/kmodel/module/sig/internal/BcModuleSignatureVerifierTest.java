package org.kmodel.module.sig.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleSigner.Form;
import org.kmodel.module.SignatureCheck;
import org.kmodel.module.SignatureInfo;

/** The verification outcomes of docs/modules.md#signature-format per release and trailer form. */
class BcModuleSignatureVerifierTest {
    private final BcModuleSignatureVerifier v = new BcModuleSignatureVerifier(TestKeys.keyring());
    private final byte[] module = TestKeys.payload(10_000);

    private byte[] sign(BuildKey.Generated key, Form form, boolean keyId) {
        return new SignFile().signFile("sha256", TestKeys.pem(key), TestKeys.der(key), module, form, keyId);
    }

    @Test
    void validPkcs7OnModernRelease() {
        byte[] signed = sign(TestKeys.TRUSTED, Form.PKCS7, false);
        SignatureCheck c = v.modVerifySig(signed, KernelRelease.V6_18);
        assertNull(c.error(), c.reason());
        assertEquals(module.length, c.payloadLength());
        assertEquals("PKCS#7", c.signature().idType());
        assertEquals("sha256", c.signature().hashAlgo());
        assertEquals("Model kernel test signing key", c.signature().signer());
    }

    @Test
    void validPkcs7ByKeyId() {
        SignatureCheck c = v.modVerifySig(sign(TestKeys.TRUSTED, Form.PKCS7, true), KernelRelease.V6_18);
        assertNull(c.error(), c.reason());
        assertEquals(
                Certs.hex(Certs.subjectKeyId(TestKeys.TRUSTED.certificate()), ":", true),
                c.signature().keyId());
    }

    @Test
    void validX509FormOn315And314() {
        byte[] signed = sign(TestKeys.TRUSTED, Form.X509, false);
        for (KernelRelease r : new KernelRelease[] {KernelRelease.V3_14, KernelRelease.V3_15}) {
            SignatureCheck c = v.modVerifySig(signed, r);
            assertNull(c.error(), c.reason());
            assertEquals(module.length, c.payloadLength());
            assertEquals("X509", c.signature().idType());
        }
    }

    @Test
    void wrongFormForReleaseIsEnopkg() {
        assertEquals(
                Errno.ENOPKG,
                v.modVerifySig(sign(TestKeys.TRUSTED, Form.PKCS7, false), KernelRelease.V3_15)
                        .error());
        assertEquals(
                Errno.ENOPKG,
                v.modVerifySig(sign(TestKeys.TRUSTED, Form.X509, false), KernelRelease.V6_18)
                        .error());
    }

    @Test
    void unsignedIsEnodataWithWholeFileAsPayload() {
        SignatureCheck c = v.modVerifySig(module, KernelRelease.V3_15);
        assertEquals(Errno.ENODATA, c.error());
        assertEquals(module.length, c.payloadLength());
    }

    @Test
    void unknownKeyIsEnokeyInBothForms() {
        assertEquals(
                Errno.ENOKEY,
                v.modVerifySig(sign(TestKeys.OTHER, Form.PKCS7, false), KernelRelease.V6_18)
                        .error());
        assertEquals(
                Errno.ENOKEY,
                v.modVerifySig(sign(TestKeys.OTHER, Form.PKCS7, true), KernelRelease.V6_18)
                        .error());
        SignatureCheck c = v.modVerifySig(sign(TestKeys.OTHER, Form.X509, false), KernelRelease.V3_15);
        assertEquals(Errno.ENOKEY, c.error());
        assertEquals(module.length, c.payloadLength());
    }

    @Test
    void tamperedPayloadIsEkeyrejected() {
        for (Form f : Form.values()) {
            byte[] s = sign(TestKeys.TRUSTED, f, false);
            s[100] ^= 1;
            KernelRelease r = f == Form.PKCS7 ? KernelRelease.V6_18 : KernelRelease.V3_15;
            assertEquals(Errno.EKEYREJECTED, v.modVerifySig(s, r).error(), f.name());
        }
    }

    @Test
    void signedAttributesAreEkeyrejected() throws Exception {
        assertEquals(
                Errno.EKEYREJECTED,
                v.modVerifySig(cms(false, false), KernelRelease.V6_18).error());
    }

    @Test
    void embeddedContentIsEbadmsg() throws Exception {
        assertEquals(
                Errno.EBADMSG,
                v.modVerifySig(cms(true, true), KernelRelease.V6_18).error());
    }

    @Test
    void garbageCmsIsEbadmsg() {
        byte[] junk = new byte[300];
        Arrays.fill(junk, (byte) 0x30);
        byte[] f = SigTrailer.append(module, junk, new ModuleSignatureInfo(0, 0, 2, 0, 0, true, junk.length));
        assertEquals(Errno.EBADMSG, v.modVerifySig(f, KernelRelease.V6_18).error());
    }

    @Test
    void describeShowsSignerForModinfo() {
        SignatureInfo i = v.describe(sign(TestKeys.TRUSTED, Form.X509, false));
        assertEquals("Model kernel test signing key", i.signer());
        assertEquals("sha256", i.hashAlgo());
        assertNull(v.describe(module));
        assertNotNull(v.describe(sign(TestKeys.OTHER, Form.PKCS7, false)));
    }

    @Test
    void certificateInsideBlobMustStillChainToTheKeyring() throws Exception {
        // A blob that carries its own (untrusted) certificate: the signature verifies against it, but
        // there is no trusted key, so ENOKEY (pkcs7_validate_trust).
        X509Certificate other = TestKeys.OTHER.certificate();
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                        new JcaDigestCalculatorProviderBuilder().build(), SignFile::opensslSigAlgo)
                .setDirectSignature(true)
                .build(
                        new JcaContentSignerBuilder("SHA256withRSA")
                                .build(TestKeys.OTHER.keyPair().getPrivate()),
                        other));
        g.addCertificates(new JcaCertStore(java.util.List.of(other)));
        byte[] blob = g.generate(new CMSProcessableByteArray(module), false).getEncoded(ASN1Encoding.DER);
        byte[] f = SigTrailer.append(module, blob, new ModuleSignatureInfo(0, 0, 2, 0, 0, true, blob.length));
        assertEquals(Errno.ENOKEY, v.modVerifySig(f, KernelRelease.V6_18).error());
    }

    /** A CMS blob made with BouncyCastle's defaults: signed attributes, optionally encapsulated. */
    private byte[] cms(boolean encapsulate, boolean direct) throws Exception {
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                        new JcaDigestCalculatorProviderBuilder().build(), SignFile::opensslSigAlgo)
                .setDirectSignature(direct)
                .build(
                        new JcaContentSignerBuilder("SHA256withRSA")
                                .build(TestKeys.TRUSTED.keyPair().getPrivate()),
                        TestKeys.TRUSTED.certificate()));
        CMSSignedData sd = g.generate(new CMSProcessableByteArray(module), encapsulate);
        byte[] blob = sd.getEncoded(ASN1Encoding.DER);
        return SigTrailer.append(module, blob, new ModuleSignatureInfo(0, 0, 2, 0, 0, true, blob.length));
    }

    @Test
    void reasonIsGivenForFailures() {
        SignatureCheck c = v.modVerifySig(sign(TestKeys.OTHER, Form.PKCS7, false), KernelRelease.V6_18);
        assertTrue(c.reason() != null && !c.reason().isEmpty());
    }
}
