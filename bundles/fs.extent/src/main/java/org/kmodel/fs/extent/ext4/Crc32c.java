package org.kmodel.fs.extent.ext4;

/**
 * The "raw" CRC32C the kernel's ext4 uses (lib/crc32.c crc32c_le via fs/ext4/ext4.h ext4_chksum): the
 * caller passes the running value as seed and no inversion happens on entry or exit. java.util.zip.CRC32C
 * always starts from ~0 and inverts the result, so chained checksums (seed from the UUID, then the group
 * or inode number, then the structure) cannot be built with it.
 */
public final class Crc32c {
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

    public static int update(int crc, byte[] b, int off, int len) {
        int c = crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(c ^ b[i]) & 0xFF] ^ (c >>> 8);
        }
        return c;
    }

    public static int update(int crc, byte[] b) {
        return update(crc, b, 0, b.length);
    }

    /** The checksum of a little-endian 32-bit value (group and inode numbers, generations). */
    public static int updateLe32(int crc, long v) {
        byte[] b = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        return update(crc, b, 0, 4);
    }

    /** Zero bytes standing in for a checksum field while it is computed. */
    public static int updateZeros(int crc, int n) {
        int c = crc;
        for (int i = 0; i < n; i++) {
            c = TABLE[c & 0xFF] ^ (c >>> 8);
        }
        return c;
    }
}
