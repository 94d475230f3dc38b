package org.kmodel.module.sig.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * Reading certificates and keys the way the kernel's tools do (scripts/sign-file.c {@code read_x509}:
 * DER if the file starts with {@code 30 81..84}, else PEM) and naming keys the way the keyring does
 * (crypto/asymmetric_keys/x509_public_key.c: {@code "<signer>: <subject key id>"}).
 */
public final class Certs {
    /**
     * One provider instance for the bundle, never registered globally (Security.addProvider), made on first
     * use: building it registers hundreds of algorithms, and booting (reading DER certificates with the JDK,
     * verifying with the JDK's provider) never needs it.
     */
    public static BouncyCastleProvider bc() {
        return Bc.PROVIDER;
    }

    private static final class Bc {
        static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    }

    private Certs() {}

    /** All certificates in {@code data}: one DER certificate or any number of PEM blocks. */
    public static List<X509Certificate> readCertificates(byte[] data) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            if (isDer(data)) {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(data)));
                return out;
            }
            try (PEMParser p = new PEMParser(reader(data))) {
                for (Object o = p.readObject(); o != null; o = p.readObject()) {
                    if (o instanceof X509CertificateHolder h) {
                        out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
                    }
                }
            }
            if (out.isEmpty()) {
                throw new KernelException(Errno.EBADMSG, "no X.509 certificate found");
            }
            return out;
        } catch (IOException | CertificateException | RuntimeException e) {
            if (e instanceof KernelException k) {
                throw k;
            }
            throw new KernelException(Errno.EBADMSG, "cannot parse X.509 certificate", e);
        }
    }

    /** The private key of a PEM file that may also hold certificates. */
    public static PrivateKey readPrivateKey(byte[] pem) {
        try (PEMParser p = new PEMParser(reader(pem))) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter().setProvider(bc());
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PEMKeyPair kp) {
                    return conv.getPrivateKey(kp.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo pki) {
                    return conv.getPrivateKey(pki);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new KernelException(Errno.EBADMSG, "cannot parse private key", e);
        }
        throw new KernelException(Errno.ENOKEY, "no private key found");
    }

    /** sign-file's test: DER if it starts with a SEQUENCE with a long-form length of 1–4 bytes. */
    static boolean isDer(byte[] d) {
        return d.length > 2 && (d[0] & 0xff) == 0x30 && (d[1] & 0xff) >= 0x81 && (d[1] & 0xff) <= 0x84;
    }

    private static Reader reader(byte[] data) {
        return new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.US_ASCII);
    }

    /** The subjectKeyIdentifier, or an empty array if the certificate has none. */
    public static byte[] subjectKeyId(X509Certificate c) {
        byte[] ext = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return new byte[0];
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets())
                .getKeyIdentifier();
    }

    /**
     * The signer name the 3.x sign-file script and x509_cert_parser derive from the subject: CN if it
     * starts with O, else {@code "O: CN"}; O or CN alone if only one exists.
     */
    public static String signerName(X509Certificate c) {
        X500Name n = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        String o = rdn(n, BCStyle.O);
        String cn = rdn(n, BCStyle.CN);
        if (o != null && cn != null) {
            return cn.startsWith(o) ? cn : o + ": " + cn;
        }
        return o != null ? o : cn != null ? cn : "";
    }

    /** The issuer's common name, as kmod prints a PKCS#7 signer. */
    public static String issuerCn(X500Name issuer) {
        String cn = rdn(issuer, BCStyle.CN);
        return cn == null ? "" : cn;
    }

    private static String rdn(X500Name n, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        RDN[] r = n.getRDNs(type);
        return r.length == 0 ? null : IETFUtils.valueToString(r[0].getFirst().getValue());
    }

    /** The key description in the keyring: {@code "<signer>: <lower-case hex key id>"}. */
    public static String description(X509Certificate c) {
        return signerName(c) + ": " + hex(subjectKeyId(c), "", false);
    }

    /** Hex with an optional separator; kmod prints {@code 3A:F0:...}. */
    public static String hex(byte[] b, String sep, boolean upper) {
        if (b.length == 0) {
            return "";
        }
        // Built as Latin-1 bytes, the String's own compact form: no char[] twice the size to copy from (modinfo
        // prints the signature, 256 bytes of RSA-2048 as 767 characters, on every verification's description).
        byte[] digits = upper ? UPPER : LOWER;
        byte[] s = sep.getBytes(StandardCharsets.ISO_8859_1);
        int step = 2 + s.length;
        byte[] out = new byte[b.length * step - s.length];
        for (int i = 0, o = 0; i < b.length; i++) {
            if (i > 0) {
                for (byte c : s) {
                    out[o++] = c;
                }
            }
            out[o++] = digits[(b[i] >> 4) & 0xf];
            out[o++] = digits[b[i] & 0xf];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static final byte[] UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] LOWER = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
}
