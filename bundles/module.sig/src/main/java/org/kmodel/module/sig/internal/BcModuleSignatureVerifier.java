package org.kmodel.module.sig.internal;

import java.security.cert.X509Certificate;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.SignatureCheck;
import org.kmodel.module.SignatureInfo;
import org.kmodel.module.SystemKeyring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The signature verifier with BouncyCastle (kernel/module/signing.c {@code mod_verify_sig}; 3.x:
 * kernel/module_signing.c). The release decides which trailer form exists: PKCS#7 (id_type 2) from
 * 4.3, the X.509 form (id_type 1) before; the other one fails the id_type check with ENOPKG, exactly
 * as the kernel of that release would.
 */
@Component(service = ModuleSignatureVerifier.class, property = "kmodel.verifier=bouncycastle")
public class BcModuleSignatureVerifier implements ModuleSignatureVerifier {
    private final SystemKeyring keyring;
    private volatile TrustedKeys cached;

    @Activate
    public BcModuleSignatureVerifier(@Reference SystemKeyring keyring) {
        this.keyring = keyring;
    }

    @Override
    public SignatureCheck modVerifySig(byte[] image, KernelRelease release) {
        if (!SigTrailer.hasMarker(image)) {
            return new SignatureCheck(Errno.ENODATA, image.length, null, "unsigned module");
        }
        TrustedKeys trusted = trustedKeys();
        int payload = image.length - SigTrailer.MAGIC.length;
        SignatureInfo info = null;
        try {
            if (pkcs7(release)) {
                SigTrailer.Pkcs7 p = SigTrailer.splitPkcs7(image);
                payload = p.payloadLength();
                org.bouncycastle.asn1.cms.SignedData sd = Pkcs7Verify.parse(p.cms());
                info = describeQuietly(() -> Pkcs7Verify.describe(sd, p.info().sigLen(), trusted));
                Pkcs7Verify.verify(image, p.payloadLength(), sd, trusted, release);
            } else {
                SigTrailer.X509Form f = SigTrailer.splitX509(image);
                payload = f.payloadLength();
                info = X509FormVerify.describe(f);
                X509FormVerify.verify(image, f, trusted);
            }
            return new SignatureCheck(null, payload, info, null);
        } catch (KernelException e) {
            return new SignatureCheck(e.errno(), payload, info, e.what());
        } catch (RuntimeException e) {
            // The parsers map every failure themselves; anything left is a malformed message.
            return new SignatureCheck(Errno.EBADMSG, payload, info, "malformed signature");
        }
    }

    /**
     * The keyring's index: the one {@link FileKeyring} keeps (rebuilt when a key is added), or for any other
     * keyring one built here and reused while its certificate objects stay the same.
     */
    TrustedKeys trustedKeys() {
        if (keyring instanceof FileKeyring fk) {
            return fk.index();
        }
        List<X509Certificate> now = keyring.certificates();
        TrustedKeys k = cached;
        if (k == null || !k.builtFrom(now)) {
            k = new TrustedKeys(now);
            cached = k;
        }
        return k;
    }

    static boolean pkcs7(KernelRelease release) {
        return release.atLeast(4, 3);
    }

    @Override
    public SignatureInfo describe(byte[] image) {
        if (!SigTrailer.hasMarker(image)) {
            return null;
        }
        ModuleSignatureInfo ms = SigTrailer.info(image);
        try {
            if (ms.idType() == ModuleSignatureInfo.PKEY_ID_PKCS7) {
                SigTrailer.Pkcs7 p = SigTrailer.splitPkcs7(image);
                return Pkcs7Verify.describe(Pkcs7Verify.parse(p.cms()), p.info().sigLen(), trustedKeys());
            }
            return X509FormVerify.describe(SigTrailer.splitX509(image));
        } catch (KernelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KernelException(Errno.EBADMSG, "malformed module signature", e);
        }
    }

    private static SignatureInfo describeQuietly(java.util.function.Supplier<SignatureInfo> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
