package org.kmodel.module.sig.internal;

import java.nio.charset.StandardCharsets;

/** Keys shared by the tests: generating RSA keys is the slow part, so once per JVM. */
final class TestKeys {
    static final BuildKey.Generated TRUSTED = BuildKey.generate("Model kernel test signing key", 2048);
    static final BuildKey.Generated OTHER = BuildKey.generate("Someone else's key", 2048);

    private TestKeys() {
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
