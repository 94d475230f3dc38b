package org.kmodel.module.sig.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The build key (certs/Makefile with certs/default_x509.genkey): an RSA key and a self-signed
 * certificate with {@code CA:FALSE}, {@code digitalSignature} and a subject key identifier, written
 * as {@code signing_key.pem} (key + certificate) and {@code signing_key.x509} (DER). Like the kernel
 * build, an existing key is kept. Run by the build: {@code BuildKey <certs-dir> [<embed-dir>]}: the
 * certificate (never the private key) is also copied to {@code <embed-dir>}, whose content goes into
 * the bundle as the built-in trusted key.
 */
public final class BuildKey {
    public static final String DEFAULT_CN = "kmodel build signing key";

    /** A key pair and its certificate. */
    public record Generated(KeyPair keyPair, X509Certificate certificate) {
        /** Key and certificate in one PEM, as {@code openssl req -keyout x -out x} writes. */
        public String pem() {
            try (StringWriter sw = new StringWriter();
                    JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(keyPair.getPrivate());
                w.writeObject(certificate);
                w.flush();
                return sw.toString();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private BuildKey() {}

    public static Generated generate(String cn, int bits) {
        return generate(cn, bits, new SecureRandom());
    }

    /** With the caller's randomness: a seeded generator gives the same key and serial every run (tests). */
    public static Generated generate(String cn, int bits, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, random);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + cn);
            long now = System.currentTimeMillis();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(64, random).abs().add(BigInteger.ONE),
                    new Date(now - 86_400_000L),
                    new Date(now + 36500L * 86_400_000L),
                    name,
                    kp.getPublic());
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, false, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(kp.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .setProvider(Certs.bc())
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA")
                            .setProvider(Certs.bc())
                            .build(kp.getPrivate())));
            return new Generated(kp, cert);
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate key", e);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args.length > 0 ? args[0] : "certs");
        Path pem = dir.resolve("signing_key.pem");
        Path der = dir.resolve("signing_key.x509");
        if (!Files.exists(pem) || !Files.exists(der)) {
            Files.createDirectories(dir);
            Generated g = generate(DEFAULT_CN, 2048);
            Files.writeString(pem, g.pem());
            Files.write(der, g.certificate().getEncoded());
            System.out.println("  GENKEY  " + pem);
        }
        if (args.length > 1) {
            Path embed = Paths.get(args[1]);
            Files.createDirectories(embed);
            Files.copy(der, embed.resolve("signing_key.x509"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
