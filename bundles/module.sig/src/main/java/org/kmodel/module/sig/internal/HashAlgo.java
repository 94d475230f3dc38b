package org.kmodel.module.sig.internal;

import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.teletrust.TeleTrusTObjectIdentifiers;

/**
 * Hash algorithms of module signatures: the 3.x {@code enum pkey_hash_algo} index
 * (include/crypto/public_key.h of 3.7–4.2: md4=0 … sha224=7) and the digest OIDs the PKCS#7 parser
 * knows (crypto/asymmetric_keys/pkcs7_parser.c {@code pkcs7_sig_note_digest_algo}).
 */
public enum HashAlgo {
    MD4("md4", 0, PKCSObjectIdentifiers.md4, false),
    MD5("md5", 1, PKCSObjectIdentifiers.md5, false),
    SHA1("sha1", 2, OIWObjectIdentifiers.idSHA1, true),
    RMD160("rmd160", 3, TeleTrusTObjectIdentifiers.ripemd160, false),
    SHA256("sha256", 4, NISTObjectIdentifiers.id_sha256, true),
    SHA384("sha384", 5, NISTObjectIdentifiers.id_sha384, true),
    SHA512("sha512", 6, NISTObjectIdentifiers.id_sha512, true),
    SHA224("sha224", 7, NISTObjectIdentifiers.id_sha224, true);

    /** values() copies the array on every call; these lookups run once per verification. */
    private static final HashAlgo[] VALUES = values();

    private final String kernelName;
    private final int index;
    private final ASN1ObjectIdentifier oid;
    private final boolean pkcs7;

    HashAlgo(String kernelName, int index, ASN1ObjectIdentifier oid, boolean pkcs7) {
        this.kernelName = kernelName;
        this.index = index;
        this.oid = oid;
        this.pkcs7 = pkcs7;
    }

    public String kernelName() {
        return kernelName;
    }

    public int index() {
        return index;
    }

    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    /** The JCA name of the RSA PKCS#1 v1.5 signature with this digest ("SHA256withRSA"). */
    public String jcaRsa() {
        return jcaDigest().replace("-", "") + "withRSA";
    }

    /** The JCA name of the ECDSA signature with this digest ("SHA256withECDSA"). */
    public String jcaEcdsa() {
        return jcaDigest().replace("-", "") + "withECDSA";
    }

    public String jcaDigest() {
        switch (this) {
            case RMD160:
                return "RIPEMD160";
            case SHA1:
                return "SHA-1";
            default:
                return name().replace("SHA", "SHA-");
        }
    }

    static HashAlgo byIndex(int i) {
        for (HashAlgo h : VALUES) {
            if (h.index == i) {
                return h;
            }
        }
        return null;
    }

    /** The digest of a PKCS#7 SignerInfo, or {@code null} if the kernel's parser does not know it. */
    static HashAlgo byPkcs7Oid(ASN1ObjectIdentifier oid) {
        for (HashAlgo h : VALUES) {
            if (h.pkcs7 && h.oid.equals(oid)) {
                return h;
            }
        }
        return null;
    }

    /** An OpenSSL digest name as sign-file takes it ("sha256", "SHA-256"). */
    public static HashAlgo byName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT).replace("-", "");
        for (HashAlgo h : VALUES) {
            if (h.kernelName.equals(n) || (h == RMD160 && n.equals("ripemd160"))) {
                return h;
            }
        }
        return null;
    }
}
