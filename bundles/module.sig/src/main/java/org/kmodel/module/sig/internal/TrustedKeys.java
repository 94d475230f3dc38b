package org.kmodel.module.sig.internal;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * The keyring as the verifier searches it, built once per keyring state (the kernel parses each
 * certificate and makes its public key when it is added to the keyring, x509_key_preparse in
 * crypto/asymmetric_keys/x509_public_key.c, and find_asymmetric_key compares the precomputed key ids).
 * Every field a lookup needs is extracted here: the public key object, the subject key identifier,
 * the issuer's DER and the serial, the signer name. Lookups are hash maps on those ids and return the
 * first certificate in load order that carries the id, exactly as the linear search over
 * {@link org.kmodel.module.SystemKeyring#certificates()} did.
 */
final class TrustedKeys {
    /** One certificate of the keyring with what the verifier needs from it. */
    record Key(
            X509Certificate cert,
            PublicKey publicKey,
            byte[] skid,
            byte[] issuerDer,
            BigInteger serial,
            X500Principal subject,
            String signerName,
            String issuerCn) {}

    /** Issuer DER + serial: a PKCS#7 SignerInfo's issuerAndSerialNumber. */
    private record IssuerSerial(ByteBuffer issuer, BigInteger serial) {}

    /** Signer name + SKID: the 3.x trailer's key description. */
    private record NameSkid(String signer, ByteBuffer skid) {}

    private final List<X509Certificate> source;
    private final List<Key> keys;
    private final Map<ByteBuffer, Key> bySkid = new HashMap<>();
    private final Map<IssuerSerial, Key> byIssuerSerial = new HashMap<>();
    private final Map<NameSkid, Key> byNameSkid = new HashMap<>();

    TrustedKeys(List<X509Certificate> certs) {
        this.source = List.copyOf(certs);
        this.keys = source.stream().map(TrustedKeys::key).toList();
        for (Key k : keys) {
            ByteBuffer skid = ByteBuffer.wrap(k.skid());
            bySkid.putIfAbsent(skid, k);
            byIssuerSerial.putIfAbsent(new IssuerSerial(ByteBuffer.wrap(k.issuerDer()), k.serial()), k);
            byNameSkid.putIfAbsent(new NameSkid(k.signerName(), skid), k);
        }
    }

    private static Key key(X509Certificate c) {
        return new Key(
                c,
                jdkKey(c.getPublicKey()),
                Certs.subjectKeyId(c),
                c.getIssuerX500Principal().getEncoded(),
                c.getSerialNumber(),
                c.getSubjectX500Principal(),
                Certs.signerName(c),
                Certs.issuerCn(org.bouncycastle.asn1.x500.X500Name.getInstance(
                        c.getIssuerX500Principal().getEncoded())));
    }

    /**
     * The key as the JDK's own provider represents it: a certificate made by BouncyCastle carries a BC key
     * object, which SunRsaSign would otherwise re-encode and re-parse on every {@code initVerify}.
     */
    static PublicKey jdkKey(PublicKey k) {
        try {
            return KeyFactory.getInstance(k.getAlgorithm()).generatePublic(new X509EncodedKeySpec(k.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return k; // an algorithm the JDK lacks: the verifier falls back to BouncyCastle with this key
        }
    }

    /** True if this index was built from exactly these certificate objects, in this order. */
    boolean builtFrom(List<X509Certificate> certs) {
        if (certs.size() != source.size()) {
            return false;
        }
        for (int i = 0; i < certs.size(); i++) {
            if (certs.get(i) != source.get(i)) {
                return false;
            }
        }
        return true;
    }

    List<Key> all() {
        return keys;
    }

    /** The first key whose subjectKeyIdentifier is {@code skid} (an absent SKID is the empty id). */
    Key bySkid(byte[] skid) {
        return bySkid.get(ByteBuffer.wrap(skid));
    }

    /** The first key with this issuer (DER, byte for byte) and serial number. */
    Key byIssuerSerial(byte[] issuerDer, BigInteger serial) {
        return byIssuerSerial.get(new IssuerSerial(ByteBuffer.wrap(issuerDer), serial));
    }

    /** The 3.x {@code request_asymmetric_key("<signer>: <key id>")}. */
    Key byNameAndSkid(String signer, byte[] skid) {
        return byNameSkid.get(new NameSkid(signer, ByteBuffer.wrap(skid)));
    }
}
