package org.kmodel.module.sig.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.module.ModuleSigner;
import org.osgi.service.component.annotations.Component;

/**
 * scripts/sign-file.c (4.3+) and the 3.x scripts/sign-file Perl script. The PKCS#7 form is what
 * sign-file's {@code CMS_sign(NOCERTS|PARTIAL|BINARY|DETACHED|STREAM)} +
 * {@code CMS_add1_signer(NOCERTS|BINARY|NOSMIMECAP|NOATTR[|USE_KEYID])} produces: a detached SignedData
 * with no certificates and no signed attributes, so {@code openssl cms -verify} accepts it with
 * {@code -certfile}.
 */
@Component(service = ModuleSigner.class)
public class SignFile implements ModuleSigner {
    @Override
    public byte[] signFile(String hash, byte[] key, byte[] x509, byte[] module, Form form, boolean keyId) {
        HashAlgo h = HashAlgo.byName(hash);
        if (h == null) {
            throw new KernelException(Errno.ENOPKG, "sign-file: unknown digest '" + hash + "'");
        }
        PrivateKey pk = Certs.readPrivateKey(key);
        X509Certificate cert = Certs.readCertificates(x509).get(0);
        return form == Form.X509 ? signX509(h, pk, cert, module) : signPkcs7(h, pk, cert, module, keyId);
    }

    static byte[] signPkcs7(HashAlgo h, PrivateKey pk, X509Certificate cert, byte[] module, boolean keyId) {
        try {
            String alg = h.jcaDigest().replace("-", "") + "with" + ("EC".equals(pk.getAlgorithm()) ? "ECDSA" : "RSA");
            ContentSigner signer =
                    new JcaContentSignerBuilder(alg).setProvider(Certs.bc()).build(pk);
            JcaSignerInfoGeneratorBuilder b = new JcaSignerInfoGeneratorBuilder(
                            new JcaDigestCalculatorProviderBuilder()
                                    .setProvider(Certs.bc())
                                    .build(),
                            SignFile::opensslSigAlgo)
                    .setDirectSignature(true);
            SignerInfoGenerator sig = keyId
                    ? b.build(signer, Certs.subjectKeyId(cert))
                    : b.build(signer, new JcaX509CertificateHolder(cert));
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(sig);
            CMSSignedData sd = gen.generate(new CMSProcessableByteArray(module), false);
            byte[] cms = sd.toASN1Structure().getEncoded(ASN1Encoding.DER);
            return SigTrailer.append(
                    module,
                    cms,
                    new ModuleSignatureInfo(0, 0, ModuleSignatureInfo.PKEY_ID_PKCS7, 0, 0, true, cms.length));
        } catch (Exception e) {
            throw new KernelException(Errno.EINVAL, "sign-file: " + e.getMessage(), e);
        }
    }

    /**
     * The digestEncryptionAlgorithm OpenSSL's CMS writes: {@code rsaEncryption} (NULL parameters) for
     * RSA PKCS#1 v1.5, whatever the hash; BouncyCastle would write {@code sha256WithRSAEncryption},
     * which the kernel's pkcs7_sig_note_pkey_algo rejects with ENOPKG. ECDSA keeps ecdsa-with-SHA*.
     */
    static AlgorithmIdentifier opensslSigAlgo(AlgorithmIdentifier sigAlg) {
        ASN1ObjectIdentifier oid = sigAlg.getAlgorithm();
        if (oid.on(PKCSObjectIdentifiers.pkcs_1) && !oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            return new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
        }
        return sigAlg;
    }

    /** The 3.x layout: {@code module ‖ signer ‖ key id ‖ u16 len ‖ RSA signature ‖ info ‖ magic}. */
    static byte[] signX509(HashAlgo h, PrivateKey pk, X509Certificate cert, byte[] module) {
        byte[] signer = Certs.signerName(cert).getBytes(StandardCharsets.UTF_8);
        byte[] kid = Certs.subjectKeyId(cert);
        if (signer.length > 255 || kid.length > 255 || !"RSA".equals(pk.getAlgorithm())) {
            throw new KernelException(Errno.EINVAL, "sign-file: the X.509 form needs RSA and short names");
        }
        try {
            Signature s = Signature.getInstance(h.jcaRsa(), Certs.bc());
            s.initSign(pk);
            s.update(module);
            byte[] raw = s.sign();
            byte[] blob = new byte[signer.length + kid.length + 2 + raw.length];
            System.arraycopy(signer, 0, blob, 0, signer.length);
            System.arraycopy(kid, 0, blob, signer.length, kid.length);
            int o = signer.length + kid.length;
            blob[o] = (byte) (raw.length >>> 8);
            blob[o + 1] = (byte) raw.length;
            System.arraycopy(raw, 0, blob, o + 2, raw.length);
            // sig_len covers the MPI prefix and the signature, not the names (kernel/module_signing.c).
            ModuleSignatureInfo info = new ModuleSignatureInfo(
                    ModuleSignatureInfo.PKEY_ALGO_RSA,
                    h.index(),
                    ModuleSignatureInfo.PKEY_ID_X509,
                    signer.length,
                    kid.length,
                    true,
                    raw.length + 2L);
            return SigTrailer.append(module, blob, info);
        } catch (GeneralSecurityException e) {
            throw new KernelException(Errno.EINVAL, "sign-file: " + e.getMessage(), e);
        }
    }
}
