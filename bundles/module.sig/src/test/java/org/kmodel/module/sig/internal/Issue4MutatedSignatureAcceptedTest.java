package org.kmodel.module.sig.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleSigner.Form;

/**
 * Issue 4: TrailerFuzzTest reported "mutated signature accepted" in some builds. The failing case
 * (fuzz iteration 988, whenever the fresh test key's serial needed 9 DER bytes) changed the tag of the
 * empty parameters of SignerInfo.digestEncryptionAlgorithm, {@code 05 00} to {@code DD 00}: the
 * kernel accepts that too ({@code parameters ANY OPTIONAL}, pkcs7.asn1), so the test was wrong there.
 * The exhaustive single-byte map of the trailer, however, showed real leniencies of the verifier,
 * each pinned here with the exact mutated bytes: the SignedData/SignerInfo version pairing
 * (pkcs7_note_signerinfo_version), the pkey algorithm OID (pkcs7_sig_note_pkey_algo takes
 * {@code rsaEncryption} only, which is also what sign-file writes) and the tags inside
 * SignedData.digestAlgorithms.
 */
class Issue4MutatedSignatureAcceptedTest {
    private final BcModuleSignatureVerifier v = new BcModuleSignatureVerifier(TestKeys.keyring());
    private final byte[] module = TestKeys.payload(2000);

    private byte[] signed(boolean keyId) {
        return new SignFile()
                .signFile(
                        "sha256",
                        TestKeys.pem(TestKeys.TRUSTED),
                        TestKeys.der(TestKeys.TRUSTED),
                        module,
                        Form.PKCS7,
                        keyId);
    }

    private Errno verify(byte[] f) {
        return v.modVerifySig(f, KernelRelease.V6_18).error();
    }

    private static Lenient.Tlv signedData(byte[] f) {
        int cms = SigTrailer.splitPkcs7(f).payloadLength();
        return Lenient.Tlv.at(f, Lenient.Tlv.at(f, cms).child(1).content);
    }

    private static Lenient.Tlv signerInfo(byte[] f) {
        List<Lenient.Tlv> sd = signedData(f).children();
        return sd.get(sd.size() - 1).child(0);
    }

    /** SignerInfo: version, sid, digestAlgorithm, digestEncryptionAlgorithm, encryptedDigest. */
    private static Lenient.Tlv digestEncryptionAlgorithm(byte[] f) {
        return signerInfo(f).child(3);
    }

    @Test
    void signFileWritesRsaEncryptionWithNullParametersLikeOpenssl() {
        byte[] f = signed(false);
        Lenient.Tlv alg = digestEncryptionAlgorithm(f);
        Lenient.Tlv oid = alg.child(0);
        // 06 09 2a 86 48 86 f7 0d 01 01 01 = 1.2.840.113549.1.1.1, then 05 00
        assertEquals(0x01, f[oid.end - 1]);
        assertEquals(0x05, f[alg.child(1).start]);
        assertEquals(0x00, f[alg.child(1).start + 1]);
        assertNull(verify(f));
        assertNull(verify(signed(true)));
    }

    @Test
    void parameterTagOfDigestEncryptionAlgorithmIsIgnoredLikeTheKernel() {
        byte[] f = signed(false);
        f[digestEncryptionAlgorithm(f).child(1).start] = (byte) 0xdd; // 05 00 -> dd 00
        assertNull(verify(f));
    }

    @Test
    void digestAlgorithmsOidValueIsOnlyNoted() {
        byte[] f = signed(false);
        Lenient.Tlv oid = signedData(f).child(1).child(0).child(0);
        f[oid.end - 1] = 0x03; // sha256 (...02 01) -> sha512's arc (...02 03): never compared
        assertNull(verify(f));
    }

    @Test
    void digestAlgorithmsEntryWithWrongTagIsEbadmsg() {
        byte[] f = signed(false);
        f[signedData(f).child(1).child(0).start] = 0x31; // SEQUENCE -> SET inside the SET OF
        assertEquals(Errno.EBADMSG, verify(f));
    }

    @Test
    void signedDataVersion3WithSignerInfoVersion1IsEbadmsg() {
        byte[] f = signed(false);
        f[signedData(f).child(0).content] = 3; // 02 01 01 -> 02 01 03
        assertEquals(Errno.EBADMSG, verify(f));
    }

    @Test
    void signerInfoVersion3UnderSignedDataVersion1IsEbadmsg() {
        byte[] f = signed(false);
        f[signerInfo(f).child(0).content] = 3;
        assertEquals(Errno.EBADMSG, verify(f));
    }

    @Test
    void version3WithIssuerAndSerialFindsNoKey() {
        // Both versions 3: the kernel then expects a SKID (expect_skid), gets none, and its empty key
        // id matches no key.
        byte[] f = signed(false);
        f[signedData(f).child(0).content] = 3;
        f[signerInfo(f).child(0).content] = 3;
        assertEquals(Errno.ENOKEY, verify(f));
    }

    @Test
    void otherPkcs1OidAsPkeyAlgorithmIsEnopkg() {
        byte[] f = signed(false);
        Lenient.Tlv oid = digestEncryptionAlgorithm(f).child(0);
        f[oid.end - 1] = 0x0b; // rsaEncryption -> sha256WithRSAEncryption (what BouncyCastle writes)
        assertEquals(Errno.ENOPKG, verify(f));
        f[oid.end - 1] = 0x7e; // 1.2.840.113549.1.1.126
        assertEquals(Errno.ENOPKG, verify(f));
    }

    @Test
    void pkeyOidThatSwallowsTheNullParametersIsEnopkg() {
        byte[] f = signed(false);
        Lenient.Tlv oid = digestEncryptionAlgorithm(f).child(0);
        f[oid.start + 1] = 0x0b; // 06 09 ... 05 00 -> 06 0b ... (1.2.840.113549.1.1.1.5.0)
        assertEquals(Errno.ENOPKG, verify(f));
    }
}
