package org.kmodel.module.sig.internal;

/**
 * {@code struct module_signature} (include/linux/module_signature.h): the 12-byte block between the
 * signature and the magic string. Every field is a byte except {@code sig_len}, a big-endian u32 read
 * here as an unsigned {@code long}: a value above 2^31 is legal input and must not turn negative.
 */
record ModuleSignatureInfo(int algo, int hash, int idType, int signerLen, int keyIdLen, boolean padZero, long sigLen) {
    static final int SIZE = 12;

    /** {@code enum pkey_id_type}. */
    static final int PKEY_ID_PGP = 0;

    static final int PKEY_ID_X509 = 1;
    static final int PKEY_ID_PKCS7 = 2;

    /** {@code PKEY_ALGO_RSA} in 3.x (include/crypto/public_key.h, {@code enum pkey_algo}). */
    static final int PKEY_ALGO_RSA = 1;

    static ModuleSignatureInfo read(byte[] b, int off) {
        long sigLen = ((b[off + 8] & 0xffL) << 24)
                | ((b[off + 9] & 0xffL) << 16)
                | ((b[off + 10] & 0xffL) << 8)
                | (b[off + 11] & 0xffL);
        boolean pad = b[off + 5] == 0 && b[off + 6] == 0 && b[off + 7] == 0;
        return new ModuleSignatureInfo(
                b[off] & 0xff, b[off + 1] & 0xff, b[off + 2] & 0xff, b[off + 3] & 0xff, b[off + 4] & 0xff, pad, sigLen);
    }

    byte[] toBytes() {
        return new byte[] {
            (byte) algo,
            (byte) hash,
            (byte) idType,
            (byte) signerLen,
            (byte) keyIdLen,
            0,
            0,
            0,
            (byte) (sigLen >>> 24),
            (byte) (sigLen >>> 16),
            (byte) (sigLen >>> 8),
            (byte) sigLen
        };
    }
}
