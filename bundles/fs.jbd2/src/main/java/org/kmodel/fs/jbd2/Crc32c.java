package org.kmodel.fs.jbd2;

/**
 * CRC32C (Castagnoli) as the kernel's {@code crc32c(seed, data, len)} (lib/crc32.c, used by jbd2_chksum in
 * include/linux/jbd2.h): reflected polynomial 0x82F63B78, the running value passed in and returned with
 * no final inversion. Callers start from ~0, as jbd2 does; {@code java.util.zip.CRC32C} cannot continue
 * from an arbitrary seed, which the v3 tag checksums need (seed, then the sequence, then the block).
 */
final class Crc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32c() {}

    static int update(int crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = TABLE[(crc ^ b[i]) & 0xFF] ^ (crc >>> 8);
        }
        return crc;
    }

    static int update(int crc, byte[] b) {
        return update(crc, b, 0, b.length);
    }
}
