package org.kmodel.fs.jbd2;

import static org.kmodel.fs.jbd2.JournalFormat.be32;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays one transaction out as journal blocks, in the order jbd2_journal_commit_transaction (fs/jbd2/commit.c)
 * writes them: revoke blocks first (jbd2_journal_write_revoke_records, fs/jbd2/revoke.c), then descriptor
 * blocks each followed by the blocks its tags describe, and last the commit block (journal_submit_commit_record).
 * The caller writes the commit block only after the others are durable.
 */
final class LogWriter {
    private final int blockSize;
    private final int seed;
    private final boolean csum;
    private final boolean csumV3;
    private final boolean bit64;
    private final byte[] uuid;

    LogWriter(int blockSize, JournalSuperblock sb) {
        this.blockSize = blockSize;
        this.seed = sb.csumSeed();
        this.csum = sb.csumV2orV3();
        this.csumV3 = sb.has(JournalFormat.INCOMPAT_CSUM_V3);
        this.bit64 = sb.has(JournalFormat.INCOMPAT_64BIT);
        this.uuid = sb.uuid();
    }

    /** journal_tag_bytes(): 16 with csum v3; else 12 (+2 for csum v2), 4 fewer without 64bit. */
    static int tagBytes(JournalSuperblock sb) {
        if (sb.has(JournalFormat.INCOMPAT_CSUM_V3)) {
            return JournalFormat.TAG3_BYTES;
        }
        int sz = 12 + (sb.has(JournalFormat.INCOMPAT_CSUM_V2) ? 2 : 0);
        return sb.has(JournalFormat.INCOMPAT_64BIT) ? sz : sz - 4;
    }

    private int tagBytes() {
        if (csumV3) {
            return JournalFormat.TAG3_BYTES;
        }
        int sz = 12 + (csum ? 2 : 0);
        return bit64 ? sz : sz - 4;
    }

    private int tailBytes() {
        return csum ? JournalFormat.TAIL : 0;
    }

    private int revokeRecordBytes() {
        return bit64 ? 8 : 4;
    }

    /** Journal blocks a transaction of {@code blocks} logged and {@code revokes} revoked blocks needs. */
    int blocksNeeded(int blocks, int revokes) {
        int perRevoke = (blockSize - tailBytes() - JournalFormat.REVOKE_HEADER) / revokeRecordBytes();
        int room = blockSize - JournalFormat.HEADER - tailBytes();
        int perDescriptor = 1 + (room - tagBytes() - JournalFormat.UUID_BYTES) / tagBytes();
        return ceil(revokes, perRevoke) + ceil(blocks, perDescriptor) + blocks + 1;
    }

    private static int ceil(int n, int per) {
        return (n + per - 1) / per;
    }

    /** Every block of transaction {@code tid} except the commit block, in log order. */
    List<byte[]> body(int tid, Map<Long, byte[]> blocks, Set<Long> revoked) {
        List<byte[]> out = new ArrayList<>();
        revokeBlocks(tid, revoked, out);
        List<Map.Entry<Long, byte[]>> pending = new ArrayList<>(blocks.entrySet());
        int i = 0;
        while (i < pending.size()) {
            byte[] desc = new byte[blockSize];
            JournalFormat.header(desc, JournalFormat.DESCRIPTOR_BLOCK, tid);
            out.add(desc);
            int pos = JournalFormat.HEADER;
            int lastTag = -1;
            boolean first = true;
            while (i < pending.size()) {
                int need = tagBytes() + (first ? JournalFormat.UUID_BYTES : 0);
                if (pos + need > blockSize - tailBytes()) {
                    break;
                }
                Map.Entry<Long, byte[]> e = pending.get(i++);
                byte[] logged = e.getValue();
                int flags = first ? 0 : JournalFormat.FLAG_SAME_UUID;
                if (JournalFormat.hasMagic(logged)) {
                    // jbd2_journal_write_metadata_buffer: a block that starts with the magic would be taken
                    // for a journal block at replay; it is logged with those 4 bytes zeroed and a flag.
                    logged = logged.clone();
                    be32(logged, 0, 0);
                    flags |= JournalFormat.FLAG_ESCAPE;
                }
                writeTag(desc, pos, tid, e.getKey(), flags, logged);
                lastTag = pos;
                pos += tagBytes();
                if (first) {
                    System.arraycopy(uuid, 0, desc, pos, JournalFormat.UUID_BYTES);
                    pos += JournalFormat.UUID_BYTES;
                    first = false;
                }
                out.add(logged);
            }
            be32(desc, lastTag + 4, be32(desc, lastTag + 4) | JournalFormat.FLAG_LAST_TAG);
            if (csum) {
                JournalFormat.setTailChecksum(desc, seed);
            }
        }
        return out;
    }

    private void writeTag(byte[] desc, int pos, int tid, long fsBlock, int flags, byte[] logged) {
        be32(desc, pos, (int) fsBlock);
        if (csumV3) {
            be32(desc, pos + 4, flags);
            be32(desc, pos + 8, (int) (fsBlock >>> 32));
            be32(desc, pos + 12, JournalFormat.tagChecksum(seed, tid, logged));
            return;
        }
        // journal_block_tag_t: t_blocknr, t_checksum (16 bits, v2), t_flags (16 bits), t_blocknr_high
        if (csum) {
            int c = JournalFormat.tagChecksum(seed, tid, logged);
            desc[pos + 4] = (byte) (c >>> 8);
            desc[pos + 5] = (byte) c;
        }
        desc[pos + 6] = (byte) (flags >>> 8);
        desc[pos + 7] = (byte) flags;
        if (bit64) {
            be32(desc, pos + 8, (int) (fsBlock >>> 32));
        }
    }

    /** jbd2_journal_write_revoke_records: r_count is the bytes used, header included. */
    private void revokeBlocks(int tid, Set<Long> revoked, List<byte[]> out) {
        byte[] b = null;
        int pos = 0;
        for (long blk : revoked) {
            if (b == null || pos + revokeRecordBytes() > blockSize - tailBytes()) {
                if (b != null) {
                    finishRevoke(b, pos, out);
                }
                b = new byte[blockSize];
                JournalFormat.header(b, JournalFormat.REVOKE_BLOCK, tid);
                pos = JournalFormat.REVOKE_HEADER;
            }
            if (bit64) {
                JournalFormat.be64(b, pos, blk);
            } else {
                be32(b, pos, (int) blk);
            }
            pos += revokeRecordBytes();
        }
        if (b != null) {
            finishRevoke(b, pos, out);
        }
    }

    private void finishRevoke(byte[] b, int used, List<byte[]> out) {
        be32(b, 12, used);
        if (csum) {
            JournalFormat.setTailChecksum(b, seed);
        }
        out.add(b);
    }

    /** The commit block (struct commit_header): sequence, commit time, checksum under csum v2/v3. */
    byte[] commitBlock(int tid, long epochNanos) {
        byte[] b = new byte[blockSize];
        JournalFormat.header(b, JournalFormat.COMMIT_BLOCK, tid);
        JournalFormat.be64(b, 0x30, Math.floorDiv(epochNanos, 1_000_000_000L));
        be32(b, 0x38, (int) Math.floorMod(epochNanos, 1_000_000_000L));
        if (csum) {
            be32(b, 16, JournalFormat.commitChecksum(b, seed));
        }
        return b;
    }
}
