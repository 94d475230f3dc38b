package org.kmodel.fs.jbd2;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The on-disk constants of jbd2 (include/linux/jbd2.h) and the big-endian field helpers every block type
 * uses. Every journal block that is not a logged copy starts with a journal_header_t: magic, block type,
 * sequence (the transaction id).
 */
final class JournalFormat {
    static final int MAGIC = 0xC03B3998;

    /** h_blocktype values. */
    static final int DESCRIPTOR_BLOCK = 1;

    static final int COMMIT_BLOCK = 2;
    static final int SUPERBLOCK_V1 = 3;
    static final int SUPERBLOCK_V2 = 4;
    static final int REVOKE_BLOCK = 5;

    /** Size of journal_header_t. */
    static final int HEADER = 12;
    /** struct jbd2_journal_block_tail: a crc32c at the end of descriptor and revoke blocks (csum v2/v3). */
    static final int TAIL = 4;
    /** journal_block_tag3_t: t_blocknr, t_flags, t_blocknr_high, t_checksum. */
    static final int TAG3_BYTES = 16;

    static final int UUID_BYTES = 16;
    /** jbd2_journal_revoke_header_t: the header plus r_count (bytes used in the block). */
    static final int REVOKE_HEADER = 16;

    /** t_flags. */
    static final int FLAG_ESCAPE = 1;

    static final int FLAG_SAME_UUID = 2;
    static final int FLAG_DELETED = 4;
    static final int FLAG_LAST_TAG = 8;

    /** Features (s_feature_compat / s_feature_incompat). */
    static final int COMPAT_CHECKSUM = 0x1;

    static final int INCOMPAT_REVOKE = 0x1;
    static final int INCOMPAT_64BIT = 0x2;
    static final int INCOMPAT_ASYNC_COMMIT = 0x4;
    static final int INCOMPAT_CSUM_V2 = 0x8;
    static final int INCOMPAT_CSUM_V3 = 0x10;
    static final int INCOMPAT_FAST_COMMIT = 0x20;
    /** JBD2_KNOWN_INCOMPAT_FEATURES of this model: fast commits are not modelled, so refused. */
    static final int KNOWN_INCOMPAT =
            INCOMPAT_REVOKE | INCOMPAT_64BIT | INCOMPAT_ASYNC_COMMIT | INCOMPAT_CSUM_V2 | INCOMPAT_CSUM_V3;
    /** s_checksum_type JBD2_CRC32C_CHKSUM. */
    static final int CRC32C_CHKSUM = 4;

    private JournalFormat() {}

    static int be32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static long be64(byte[] b, int off) {
        return ((long) be32(b, off) << 32) | (be32(b, off + 4) & 0xFFFFFFFFL);
    }

    static void be32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void be64(byte[] b, int off, long v) {
        be32(b, off, (int) (v >>> 32));
        be32(b, off + 4, (int) v);
    }

    /** Writes a journal_header_t at the start of {@code b}. */
    static void header(byte[] b, int type, int sequence) {
        be32(b, 0, MAGIC);
        be32(b, 4, type);
        be32(b, 8, sequence);
    }

    static boolean hasMagic(byte[] b) {
        return be32(b, 0) == MAGIC;
    }

    /**
     * jbd2_descriptor_block_csum_set: the tail of a descriptor or revoke block holds crc32c(seed, block)
     * computed with the tail zeroed.
     */
    static void setTailChecksum(byte[] b, int seed) {
        be32(b, b.length - TAIL, 0);
        be32(b, b.length - TAIL, Crc32c.update(seed, b));
    }

    /** jbd2_descriptor_block_csum_verify. */
    static boolean tailChecksumOk(byte[] b, int seed) {
        int stored = be32(b, b.length - TAIL);
        be32(b, b.length - TAIL, 0);
        int calc = Crc32c.update(seed, b);
        be32(b, b.length - TAIL, stored);
        return stored == calc;
    }

    /**
     * jbd2_block_tag_csum_set (v3): crc32c over the big-endian transaction id, then the block as it lies in
     * the log (after escaping), continuing from the uuid seed.
     */
    static int tagChecksum(int seed, int sequence, byte[] logged) {
        byte[] seq = new byte[4];
        be32(seq, 0, sequence);
        return Crc32c.update(Crc32c.update(seed, seq), logged);
    }

    /**
     * jbd2_commit_block_csum_set: h_chksum_type and size stay 0 under csum v2/v3; h_chksum[0] holds
     * crc32c(seed, block) computed with h_chksum[0] zeroed.
     */
    static int commitChecksum(byte[] b, int seed) {
        int stored = be32(b, 16);
        be32(b, 16, 0);
        int calc = Crc32c.update(seed, b);
        be32(b, 16, stored);
        return calc;
    }

    static KernelException corrupt(String what) {
        return new KernelException(Errno.EUCLEAN, "jbd2: " + what);
    }
}
