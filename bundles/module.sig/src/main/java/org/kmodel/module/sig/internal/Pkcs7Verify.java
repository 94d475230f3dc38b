package org.kmodel.module.sig.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
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
    private Pkcs7Verify() {
    }

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
            for (ASN1Encodable s : sd.getSignerInfos()) {
                checkSignerInfo(org.bouncycastle.asn1.cms.SignerInfo.getInstance(s));
            }
        } catch (RuntimeException e) {
            throw rethrow(e, Errno.EBADMSG, "PKCS#7: malformed SignedData");
        }
        return sd;
    }

    /** pkcs7_sig_note_digest_algo / pkcs7_sig_note_pkey_algo: unknown algorithms are ENOPKG. */
    private static void checkSignerInfo(org.bouncycastle.asn1.cms.SignerInfo si) {
        int v = si.getVersion().intValueExact();
        if (v != 1 && v != 3) {
            throw new KernelException(Errno.EINVAL, "PKCS#7: unsupported SignerInfo version " + v);
        }
        if (HashAlgo.byPkcs7Oid(si.getDigestAlgorithm().getAlgorithm()) == null) {
            throw new KernelException(Errno.ENOPKG, "PKCS#7: unsupported digest " + si.getDigestAlgorithm().getAlgorithm());
        }
        ASN1ObjectIdentifier alg = si.getDigestEncryptionAlgorithm().getAlgorithm();
        if (!isRsa(alg) && !isEcdsa(alg)) {
            throw new KernelException(Errno.ENOPKG, "PKCS#7: unsupported public key algorithm " + alg);
        }
    }

    private static boolean isRsa(ASN1ObjectIdentifier a) {
        return a.equals(PKCSObjectIdentifiers.rsaEncryption) || a.on(PKCSObjectIdentifiers.pkcs_1);
    }

    private static boolean isEcdsa(ASN1ObjectIdentifier a) {
        return a.on(X9ObjectIdentifiers.id_ecSigType) || a.equals(X9ObjectIdentifiers.id_ecPublicKey);
    }

    /** The whole check: parse, detached data, pkcs7_verify, pkcs7_validate_trust. Returns normally if valid. */
    static void verify(byte[] file, int payloadLength, byte[] cms, List<X509Certificate> trusted,
            KernelRelease release) {
        SignedData sd = parse(cms);
        if (sd.getEncapContentInfo().getContent() != null) {
            throw new KernelException(Errno.EBADMSG, "PKCS#7 signature with non-detached data");
        }
        if (!CMSObjectIdentifiers.data.equals(sd.getEncapContentInfo().getContentType())) {
            throw new KernelException(Errno.EKEYREJECTED, "PKCS#7: content type is not data");
        }
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(new CMSProcessableByteArray(Arrays.copyOf(file, payloadLength)),
                    new ContentInfo(CMSObjectIdentifiers.signedData, sd));
        } catch (CMSException | RuntimeException e) {
            throw new KernelException(Errno.EBADMSG, "PKCS#7: malformed", e);
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        // pkcs7_validate_trust starts from -ENOKEY: no signer at all is "no trusted key".
        Errno result = Errno.ENOKEY;
        for (SignerInformation si : signers) {
            if (si.getSignedAttributes() != null) {
                // pkcs7_verify: module signatures must not carry authenticated attributes.
                throw new KernelException(Errno.EKEYREJECTED, "PKCS#7: signed attributes present");
            }
            if (isEcdsa(new ASN1ObjectIdentifier(si.getEncryptionAlgOID())) && !release.atLeast(5, 13)) {
                throw new KernelException(Errno.ENOPKG, "PKCS#7: ECDSA module signatures need 5.13");
            }
            Errno one = verifyOne(signed, si, trusted);
            if (one == null) {
                result = null;
            } else if (one != Errno.ENOKEY && result != null) {
                result = one;
            }
        }
        if (result != null) {
            throw new KernelException(result, result == Errno.ENOKEY ? "PKCS#7: no trusted key" : "PKCS#7: signature rejected");
        }
    }

    /** pkcs7_validate_trust_one for one signer: null if trusted and valid. */
    private static Errno verifyOne(CMSSignedData signed, SignerInformation si, List<X509Certificate> trusted) {
        SignerId sid = si.getSID();
        for (X509Certificate c : trusted) {
            if (sid.match(holder(c))) {
                return check(si, c) ? null : Errno.EKEYREJECTED;
            }
        }
        // A certificate carried in the blob: verify against it (failure is EKEYREJECTED), then it
        // must chain to a trusted key (else ENOKEY).
        for (X509CertificateHolder h : signed.getCertificates().getMatches(null)) {
            if (sid.match(h)) {
                X509Certificate c = toCert(h);
                if (c == null || !check(si, c)) {
                    return Errno.EKEYREJECTED;
                }
                return chainsToTrusted(c, trusted) ? null : Errno.ENOKEY;
            }
        }
        return Errno.ENOKEY;
    }

    private static boolean chainsToTrusted(X509Certificate c, List<X509Certificate> trusted) {
        for (X509Certificate t : trusted) {
            if (t.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                try {
                    c.verify(t.getPublicKey(), Certs.BC);
                    return true;
                } catch (Exception e) {
                    // not this one; another trusted key may carry the same subject
                }
            }
        }
        return false;
    }

    private static boolean check(SignerInformation si, X509Certificate c) {
        try {
            return si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Certs.BC).build(c));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            return false;
        }
    }

    private static X509CertificateHolder holder(X509Certificate c) {
        try {
            return new JcaX509CertificateHolder(c);
        } catch (Exception e) {
            throw new KernelException(Errno.EBADMSG, "keyring certificate", e);
        }
    }

    private static X509Certificate toCert(X509CertificateHolder h) {
        try {
            return Certs.readCertificates(h.getEncoded()).get(0);
        } catch (IOException | KernelException e) {
            return null;
        }
    }

    /** What modinfo shows; never throws for a blob that {@link #parse} accepted. */
    static SignatureInfo describe(byte[] cms, long sigLen, List<X509Certificate> trusted) {
        SignedData sd = parse(cms);
        if (sd.getSignerInfos().size() == 0) {
            return new SignatureInfo("PKCS#7", "", "", "", "", sigLen);
        }
        org.bouncycastle.asn1.cms.SignerInfo si = org.bouncycastle.asn1.cms.SignerInfo.getInstance(sd.getSignerInfos().getObjectAt(0));
        HashAlgo h = HashAlgo.byPkcs7Oid(si.getDigestAlgorithm().getAlgorithm());
        String signer = "";
        String key;
        org.bouncycastle.asn1.cms.SignerIdentifier id = si.getSID();
        if (id.isTagged()) {
            byte[] skid = org.bouncycastle.asn1.ASN1OctetString.getInstance(id.getId()).getOctets();
            key = Certs.hex(skid, ":", true);
            for (X509Certificate c : trusted) {
                if (Arrays.equals(Certs.subjectKeyId(c), skid)) {
                    signer = Certs.signerName(c);
                }
            }
        } else {
            org.bouncycastle.asn1.cms.IssuerAndSerialNumber ias = org.bouncycastle.asn1.cms.IssuerAndSerialNumber.getInstance(id.getId());
            signer = Certs.issuerCn(ias.getName());
            BigInteger serial = ias.getSerialNumber().getValue();
            key = Certs.hex(serial.toByteArray(), ":", true);
        }
        return new SignatureInfo("PKCS#7", signer, key, h == null ? "unknown" : h.kernelName(),
                Certs.hex(si.getEncryptedDigest().getOctets(), ":", true), sigLen);
    }

    static KernelException rethrow(Exception e, Errno errno, String what) {
        if (e instanceof KernelException k) {
            return k;
        }
        return new KernelException(errno, what, e);
    }
}
