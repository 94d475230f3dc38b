package org.kmodel.module.sig.internal;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Signature} objects per thread and algorithm: {@code Signature.getInstance} searches the
 * providers on every call, and {@code initVerify} resets an object completely, so one object per thread
 * serves every verification. The JDK's provider (SunRsaSign, SunEC; SHA-2 with CPU intrinsics) where it
 * has the algorithm, BouncyCastle (never registered globally) for the rest. The cache holds JDK
 * objects only, so it keeps no class of this bundle alive after a refresh.
 */
final class Verifiers {
    private static final ThreadLocal<Map<String, Signature>> CACHE = ThreadLocal.withInitial(HashMap::new);

    private Verifiers() {}

    /** A verifier for {@code algorithm}; the caller must {@code initVerify} it before use. */
    static Signature get(String algorithm) throws GeneralSecurityException {
        Map<String, Signature> m = CACHE.get();
        Signature s = m.get(algorithm);
        if (s == null) {
            try {
                s = Signature.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                s = Signature.getInstance(algorithm, Certs.bc());
            }
            m.put(algorithm, s);
        }
        return s;
    }
}
