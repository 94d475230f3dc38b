package org.kmodel.fs.jbd2;

import static org.kmodel.fs.jbd2.JournalFormat.be32;

import java.util.Arrays;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * journal_superblock_t (include/linux/jbd2.h), big-endian, in the first 1024 bytes of journal block 0.
 * Fields this model reads and writes, by offset: 0x0 header, 0xC s_blocksize, 0x10 s_maxlen, 0x14 s_first,
 * 0x18 s_sequence (first transaction id expected in the log), 0x1C s_start (first log block of it; 0 =
 * nothing to recover), 0x20 s_errno, 0x24/0x28/0x2C feature words, 0x30 s_uuid, 0x40 s_nr_users,
 * 0x50 s_checksum_type, 0xFC s_checksum, 0x100 s_users. Fields it does not model (s_max_transaction,
 * fast-commit block count, s_users of an external journal) are kept as read.
 */
final class JournalSuperblock {
    static final int SIZE = 1024;
    private static final int CHECKSUM_OFF = 0xFC;

    /** The raw structure: unknown fields survive a rewrite. */
    private final byte[] raw;

    private JournalSuperblock(byte[] raw) {
        this.raw = raw;
    }

    /** A fresh v2 superblock as mke2fs makes it (ext2fs_create_journal_superblock), plus the given features. */
    static JournalSuperblock fresh(int blockSize, int maxLen, byte[] uuid, int incompat) {
        byte[] b = new byte[SIZE];
        JournalFormat.header(b, JournalFormat.SUPERBLOCK_V2, 0);
        be32(b, 0xC, blockSize);
        be32(b, 0x10, maxLen);
        be32(b, 0x14, 1);
        be32(b, 0x18, 1);
        System.arraycopy(uuid, 0, b, 0x30, 16);
        be32(b, 0x40, 1);
        JournalSuperblock sb = new JournalSuperblock(b);
        sb.setIncompat(incompat);
        return sb;
    }

    /** journal_get_superblock's checks: magic, type, block size, length, checksum; unknown features refused. */
    static JournalSuperblock decode(byte[] block, int fsBlockSize, int mapLength) {
        byte[] b = Arrays.copyOf(block, SIZE);
        if (be32(b, 0) != JournalFormat.MAGIC) {
            throw new KernelException(Errno.EINVAL, "jbd2: journal superblock magic number invalid");
        }
        int type = be32(b, 4);
        if (type != JournalFormat.SUPERBLOCK_V1 && type != JournalFormat.SUPERBLOCK_V2) {
            throw new KernelException(Errno.EINVAL, "jbd2: unrecognised superblock format ID");
        }
        JournalSuperblock sb = new JournalSuperblock(b);
        if (sb.blockSize() != fsBlockSize) {
            throw new KernelException(
                    Errno.EINVAL,
                    "jbd2: journal block size " + sb.blockSize() + " differs from the filesystem's " + fsBlockSize);
        }
        if (sb.maxLen() > mapLength
                || sb.maxLen() < 1024 && mapLength >= 1024
                || sb.first() < 1
                || sb.first() >= sb.maxLen()) {
            throw new KernelException(Errno.EINVAL, "jbd2: journal file too short");
        }
        if (type == JournalFormat.SUPERBLOCK_V2) {
            if ((sb.incompat() & ~JournalFormat.KNOWN_INCOMPAT) != 0) {
                throw new KernelException(
                        Errno.EINVAL,
                        "jbd2: unknown incompat features 0x"
                                + Integer.toHexString(sb.incompat() & ~JournalFormat.KNOWN_INCOMPAT));
            }
            if (sb.csumV2orV3() && (b[0x50] & 0xFF) != JournalFormat.CRC32C_CHKSUM) {
                throw new KernelException(Errno.EINVAL, "jbd2: unknown checksum type");
            }
            if (sb.csumV2orV3() && be32(b, CHECKSUM_OFF) != sb.checksum()) {
                throw new KernelException(Errno.EUCLEAN, "jbd2: journal checksum error");
            }
        }
        if (sb.start() != 0 && (sb.start() < sb.first() || sb.start() >= sb.maxLen())) {
            throw JournalFormat.corrupt("s_start " + sb.start() + " outside the log");
        }
        return sb;
    }

    /** jbd2_superblock_csum: crc32c(~0, superblock with s_checksum zeroed); not seeded by the uuid. */
    private int checksum() {
        byte[] c = raw.clone();
        be32(c, CHECKSUM_OFF, 0);
        return Crc32c.update(~0, c);
    }

    /** The structure with its checksum, padded to {@code blockSize}. */
    byte[] encode(int blockSize) {
        if (csumV2orV3()) {
            raw[0x50] = JournalFormat.CRC32C_CHKSUM;
            be32(raw, CHECKSUM_OFF, checksum());
        }
        return Arrays.copyOf(raw, Math.max(blockSize, SIZE));
    }

    int blockSize() {
        return be32(raw, 0xC);
    }

    int maxLen() {
        return be32(raw, 0x10);
    }

    int first() {
        return be32(raw, 0x14);
    }

    int sequence() {
        return be32(raw, 0x18);
    }

    int start() {
        return be32(raw, 0x1C);
    }

    /** s_sequence and s_start: where recovery begins (jbd2_journal_update_sb_log_tail). */
    void tail(int sequence, int start) {
        be32(raw, 0x18, sequence);
        be32(raw, 0x1C, start);
    }

    int errno() {
        return be32(raw, 0x20);
    }

    int compat() {
        return be32(raw, 0x24);
    }

    boolean v2() {
        return be32(raw, 4) == JournalFormat.SUPERBLOCK_V2;
    }

    int incompat() {
        return v2() ? be32(raw, 0x28) : 0;
    }

    void setIncompat(int features) {
        be32(raw, 0x28, features);
        if ((features & (JournalFormat.INCOMPAT_CSUM_V2 | JournalFormat.INCOMPAT_CSUM_V3)) != 0) {
            raw[0x50] = JournalFormat.CRC32C_CHKSUM;
        }
    }

    boolean has(int incompatFeature) {
        return (incompat() & incompatFeature) != 0;
    }

    boolean csumV2orV3() {
        return has(JournalFormat.INCOMPAT_CSUM_V2) || has(JournalFormat.INCOMPAT_CSUM_V3);
    }

    byte[] uuid() {
        return Arrays.copyOfRange(raw, 0x30, 0x40);
    }

    /** j_csum_seed = crc32c(~0, s_uuid) (journal.c, load_superblock). */
    int csumSeed() {
        return Crc32c.update(~0, raw, 0x30, 16);
    }
}
