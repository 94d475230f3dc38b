package org.kmodel.module.sig.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Keys shared by the tests: generating RSA keys is the slow part, so once per JVM. They come from a
 * seeded SHA1PRNG, so every run has the same keys and serial numbers, hence the same signed bytes: a
 * fuzz test with a fixed seed then mutates the same structure every time (a fresh key changed the
 * serial's DER length and with it which bytes the mutations hit).
 */
final class TestKeys {
    static final BuildKey.Generated TRUSTED = BuildKey.generate("Model kernel test signing key", 2048, seeded(1));
    static final BuildKey.Generated OTHER = BuildKey.generate("Someone else's key", 2048, seeded(2));

    private TestKeys() {}

    /** SHA1PRNG seeded before its first use is deterministic (unlike the default NativePRNG). */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] pem(BuildKey.Generated g) {
        return g.pem().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] der(BuildKey.Generated g) {
        try {
            return g.certificate().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static FileKeyring keyring() {
        FileKeyring k = new FileKeyring();
        k.add(der(TRUSTED));
        return k;
    }

    static byte[] payload(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }
}
