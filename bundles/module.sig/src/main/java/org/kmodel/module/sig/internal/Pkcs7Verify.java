package org.kmodel.module.sig.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.SignatureInfo;

/**
 * {@code verify_pkcs7_signature(..., VERIFYING_MODULE_SIGNATURE)} (certs/system_keyring.c) with the
 * checks of crypto/asymmetric_keys/pkcs7_parser.c, pkcs7_verify.c and pkcs7_trust.c, each failure mapped
 * to the kernel's errno. BouncyCastle parses and does the RSA/ECDSA maths; which failure gives which
 * errno, and in which order, is the kernel's.
 */
final class Pkcs7Verify {
    private Pkcs7Verify() {}

    /** Parses the blob (pkcs7_parse_message); EBADMSG/EINVAL/ENOPKG as the parser returns them. */
    static SignedData parse(byte[] cms) {
        ASN1Primitive p;
        try (ASN1InputStream in = new ASN1InputStream(cms)) {
            p = in.readObject();
            if (p == null || in.readObject() != null) {
                throw new KernelException(Errno.EBADMSG, "PKCS#7: trailing or missing data");
            }
        } catch (IOException | RuntimeException e) {
            throw rethrow(e, Errno.EBADMSG, "PKCS#7: ASN.1 error");
        }
        ContentInfo ci;
        SignedData sd;
        try {
            ci = ContentInfo.getInstance(p);
        } catch (RuntimeException e) {
            throw new KernelException(Errno.EBADMSG, "PKCS#7: not a ContentInfo", e);
        }
        if (!CMSObjectIdentifiers.signedData.equals(ci.getContentType())) {
            throw new KernelException(Errno.EINVAL, "PKCS#7: only signedData is supported");
        }
        try {
            sd = SignedData.getInstance(ci.getContent());
            int v = sd.getVersion().intValueExact();
            if (v != 1 && v != 3) {
                throw new KernelException(Errno.EINVAL, "PKCS#7: unsupported SignedData version " + v);
            }
            checkDigestAlgorithms(sd);
            for (ASN1Encodable s : sd.getSignerInfos()) {
                checkSignerInfo(SignerInfo.getInstance(s), v);
            }
        } catch (RuntimeException e) {
            throw rethrow(e, Errno.EBADMSG, "PKCS#7: malformed SignedData");
        }
        return sd;
    }

    /**
     * SignedData.digestAlgorithms (pkcs7.asn1 {@code DigestAlgorithmIdentifiers}): the kernel only notes
     * the OIDs (pkcs7_note_OID) and never checks them, but its ASN.1 decoder still requires every entry
     * to be a {@code SEQUENCE { OBJECT IDENTIFIER, ANY OPTIONAL }}; a wrong tag is EBADMSG.
     */
    private static void checkDigestAlgorithms(SignedData sd) {
        for (ASN1Encodable e : sd.getDigestAlgorithms()) {
            ASN1Primitive p = e.toASN1Primitive();
            if (!(p instanceof ASN1Sequence s)
                    || s.size() < 1
                    || s.size() > 2
                    || !(s.getObjectAt(0) instanceof ASN1ObjectIdentifier)) {
                throw new KernelException(Errno.EBADMSG, "PKCS#7: malformed digestAlgorithms entry");
            }
        }
    }

    /**
     * pkcs7_note_signerinfo_version, pkcs7_sig_note_digest_algo, pkcs7_sig_note_pkey_algo: an unknown
     * version is EINVAL, a SignerInfo version that does not fit the SignedData version (1 with 1, 3
     * with 3) is EBADMSG, unknown algorithms are ENOPKG.
     */
    private static void checkSignerInfo(SignerInfo si, int sdVersion) {
        int v = si.getVersion().intValueExact();
        if (v != 1 && v != 3) {
            throw new KernelException(Errno.EINVAL, "PKCS#7: unsupported SignerInfo version " + v);
        }
        if ((v == 1) != (sdVersion == 1)) {
            throw new KernelException(Errno.EBADMSG, "PKCS#7: SignedData-SignerInfo version mismatch");
        }
        if (HashAlgo.byPkcs7Oid(si.getDigestAlgorithm().getAlgorithm()) == null) {
            throw new KernelException(
                    Errno.ENOPKG,
                    "PKCS#7: unsupported digest " + si.getDigestAlgorithm().getAlgorithm());
        }
        ASN1ObjectIdentifier alg = si.getDigestEncryptionAlgorithm().getAlgorithm();
        if (!isRsa(alg) && !isEcdsa(alg)) {
            throw new KernelException(Errno.ENOPKG, "PKCS#7: unsupported public key algorithm " + alg);
        }
    }

    /**
     * pkcs7_sig_note_pkey_algo takes RSA only as {@code rsaEncryption} (what OpenSSL's CMS and so
     * sign-file write); {@code sha256WithRSAEncryption} and every other PKCS#1 OID is "Unsupported pkey
     * algo", ENOPKG. The PKCS#1 padding inside the signature names the hash, so the OID is exact.
     */
    private static boolean isRsa(ASN1ObjectIdentifier a) {
        return a.equals(PKCSObjectIdentifiers.rsaEncryption);
    }

    /** The ecdsa-with-SHA* OIDs pkcs7_sig_note_pkey_algo lists (5.13+), exactly; not id-ecPublicKey. */
    private static final List<ASN1ObjectIdentifier> ECDSA = List.of(
            X9ObjectIdentifiers.ecdsa_with_SHA1,
            X9ObjectIdentifiers.ecdsa_with_SHA224,
            X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);

    private static boolean isEcdsa(ASN1ObjectIdentifier a) {
        return ECDSA.contains(a);
    }

    /**
     * The whole check after {@link #parse}: detached data, pkcs7_verify, pkcs7_validate_trust. Returns
     * normally if valid. With no signed attributes (anything else is rejected first) the signature is a
     * plain PKCS#1 v1.5 / ECDSA signature over the payload, so it is checked with the JDK's own
     * {@link Signature} (whose SHA-2 uses CPU intrinsics) straight over the file bytes, without copying.
     */
    static void verify(byte[] file, int payloadLength, SignedData sd, TrustedKeys trusted, KernelRelease release) {
        if (sd.getEncapContentInfo().getContent() != null) {
            throw new KernelException(Errno.EBADMSG, "PKCS#7 signature with non-detached data");
        }
        if (!CMSObjectIdentifiers.data.equals(sd.getEncapContentInfo().getContentType())) {
            throw new KernelException(Errno.EKEYREJECTED, "PKCS#7: content type is not data");
        }
        List<X509Certificate> carried = carriedCertificates(sd);
        // pkcs7_validate_trust starts from -ENOKEY: no signer at all is "no trusted key".
        Errno result = Errno.ENOKEY;
        for (ASN1Encodable e : sd.getSignerInfos()) {
            SignerInfo si = SignerInfo.getInstance(e);
            if (si.getAuthenticatedAttributes() != null) {
                // pkcs7_verify: module signatures must not carry authenticated attributes.
                throw new KernelException(Errno.EKEYREJECTED, "PKCS#7: signed attributes present");
            }
            boolean ecdsa = isEcdsa(si.getDigestEncryptionAlgorithm().getAlgorithm());
            if (ecdsa && !release.atLeast(5, 13)) {
                throw new KernelException(Errno.ENOPKG, "PKCS#7: ECDSA module signatures need 5.13");
            }
            Errno one = verifyOne(file, payloadLength, si, ecdsa, trusted, carried);
            if (one == null) {
                result = null;
            } else if (one != Errno.ENOKEY && result != null) {
                result = one;
            }
        }
        if (result != null) {
            throw new KernelException(
                    result, result == Errno.ENOKEY ? "PKCS#7: no trusted key" : "PKCS#7: signature rejected");
        }
    }

    /** pkcs7_validate_trust_one for one signer: null if trusted and valid. */
    private static Errno verifyOne(
            byte[] file, int len, SignerInfo si, boolean ecdsa, TrustedKeys trusted, List<X509Certificate> carried) {
        // pkcs7_note_signed_info builds the key id from the SKID if the SignerInfo version is 3
        // (expect_skid), else from issuer + serial; a signer identifier of the other kind yields an
        // empty id that matches no key.
        boolean expectSkid = si.getVersion().intValueExact() == 3;
        if (si.getSID().isTagged() != expectSkid) {
            return Errno.ENOKEY;
        }
        // find_asymmetric_key: the first trusted key with this id, from the index built at keyring load.
        TrustedKeys.Key k = lookup(si.getSID(), trusted);
        if (k != null) {
            return check(file, len, si, ecdsa, k.publicKey()) ? null : Errno.EKEYREJECTED;
        }
        // A certificate carried in the blob: verify against it (failure is EKEYREJECTED), then it
        // must chain to a trusted key (else ENOKEY).
        for (X509Certificate c : carried) {
            if (matches(si.getSID(), c)) {
                if (!check(file, len, si, ecdsa, c.getPublicKey())) {
                    return Errno.EKEYREJECTED;
                }
                return chainsToTrusted(c, trusted) ? null : Errno.ENOKEY;
            }
        }
        return Errno.ENOKEY;
    }

    /**
     * The signer's identity against a certificate, byte for byte as the kernel's asymmetric key ids
     * compare it: issuer DER + serial, or the subject key identifier.
     */
    static boolean matches(SignerIdentifier sid, X509Certificate c) {
        if (sid.isTagged()) {
            return Arrays.equals(ASN1OctetString.getInstance(sid.getId()).getOctets(), Certs.subjectKeyId(c));
        }
        try {
            IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(sid.getId());
            return ias.getSerialNumber().getValue().equals(c.getSerialNumber())
                    && Arrays.equals(
                            ias.getName().getEncoded(),
                            c.getIssuerX500Principal().getEncoded());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The trusted key the signer identifier names, or null; a malformed identifier names none. */
    private static TrustedKeys.Key lookup(SignerIdentifier sid, TrustedKeys trusted) {
        try {
            if (sid.isTagged()) {
                return trusted.bySkid(ASN1OctetString.getInstance(sid.getId()).getOctets());
            }
            IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(sid.getId());
            return trusted.byIssuerSerial(
                    ias.getName().getEncoded(), ias.getSerialNumber().getValue());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<X509Certificate> carriedCertificates(SignedData sd) {
        List<X509Certificate> out = new java.util.ArrayList<>();
        if (sd.getCertificates() == null) {
            return out;
        }
        for (ASN1Encodable e : sd.getCertificates()) {
            try {
                out.addAll(Certs.readCertificates(e.toASN1Primitive().getEncoded()));
            } catch (IOException | KernelException ex) {
                throw new KernelException(Errno.EBADMSG, "PKCS#7: bad certificate", ex);
            }
        }
        return out;
    }

    private static boolean chainsToTrusted(X509Certificate c, TrustedKeys trusted) {
        for (TrustedKeys.Key t : trusted.all()) {
            if (t.subject().equals(c.getIssuerX500Principal())) {
                try {
                    c.verify(t.publicKey());
                    return true;
                } catch (Exception e) {
                    // not this one; another trusted key may carry the same subject
                }
            }
        }
        return false;
    }

    private static boolean check(byte[] file, int len, SignerInfo si, boolean ecdsa, PublicKey key) {
        HashAlgo h = HashAlgo.byPkcs7Oid(si.getDigestAlgorithm().getAlgorithm());
        try {
            Signature s = Verifiers.get(ecdsa ? h.jcaEcdsa() : h.jcaRsa());
            s.initVerify(key);
            s.update(file, 0, len);
            return s.verify(si.getEncryptedDigest().getOctets());
        } catch (GeneralSecurityException | RuntimeException e) {
            // A wrong-sized or garbled signature value is a failed verification (public_key_verify_signature).
            return false;
        }
    }

    /** What modinfo shows; never throws for a blob that {@link #parse} accepted. */
    static SignatureInfo describe(SignedData sd, long sigLen, TrustedKeys trusted) {
        if (sd.getSignerInfos().size() == 0) {
            return new SignatureInfo("PKCS#7", "", "", "", "", sigLen);
        }
        SignerInfo si = SignerInfo.getInstance(sd.getSignerInfos().getObjectAt(0));
        HashAlgo h = HashAlgo.byPkcs7Oid(si.getDigestAlgorithm().getAlgorithm());
        String signer = "";
        String key;
        SignerIdentifier id = si.getSID();
        if (id.isTagged()) {
            byte[] skid = ASN1OctetString.getInstance(id.getId()).getOctets();
            key = Certs.hex(skid, ":", true);
            // the last certificate with this SKID names the signer, as the linear search here always did
            for (TrustedKeys.Key c : trusted.all()) {
                if (Arrays.equals(c.skid(), skid)) {
                    signer = c.signerName();
                }
            }
        } else {
            IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(id.getId());
            BigInteger serial = ias.getSerialNumber().getValue();
            // A trusted key with this issuer (same DER) and serial has the issuer's CN worked out already.
            TrustedKeys.Key known = trusted.byIssuerSerial(encoded(ias.getName()), serial);
            signer = known != null ? known.issuerCn() : Certs.issuerCn(ias.getName());
            key = Certs.hex(serial.toByteArray(), ":", true);
        }
        return new SignatureInfo(
                "PKCS#7",
                signer,
                key,
                h == null ? "unknown" : h.kernelName(),
                Certs.hex(si.getEncryptedDigest().getOctets(), ":", true),
                sigLen);
    }

    private static byte[] encoded(org.bouncycastle.asn1.x500.X500Name n) {
        try {
            return n.getEncoded();
        } catch (IOException e) {
            return new byte[0]; // matches no key: the CN is then read from the name itself
        }
    }

    static KernelException rethrow(Exception e, Errno errno, String what) {
        if (e instanceof KernelException k) {
            return k;
        }
        return new KernelException(errno, what, e);
    }
}
