package org.kmodel.fs.jbd2;

import static org.kmodel.fs.jbd2.JournalFormat.be32;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Journal replay (fs/jbd2/recovery.c jbd2_journal_recover / do_one_pass). The kernel walks the log three
 * times: PASS_SCAN finds the end of the log (the last transaction whose commit block is present and
 * intact), PASS_REVOKE collects the revoke records of those transactions (fs/jbd2/revoke.c
 * jbd2_journal_set_revoke keeps the newest transaction per block), PASS_REPLAY writes each logged block
 * to its home location unless a transaction at least as new revoked it (jbd2_journal_test_revoke).
 * This class does the scan once, keeping each transaction's tags, and then the two other passes.
 *
 * <p>The log ends at the first block that is not a journal block of the expected sequence, at a descriptor
 * or revoke block whose tail checksum is wrong, and at a commit block whose checksum is wrong (the
 * transaction is then not replayed, as do_one_pass's chksum_error path without async_commit). A logged
 * block whose v2/v3 tag checksum is wrong is skipped and counted ("JBD2: Invalid checksum recovering data
 * block"), as the kernel does, and the caller is told.
 */
final class Recovery {
    /** One logged block of a committed transaction. */
    record Tag(long fsBlock, int logBlock, int flags, int checksum) {}

    /** A transaction found in the log, with its blocks and revokes. */
    record Txn(int tid, List<Tag> tags, List<Long> revokes) {}

    /** What a recovery did. */
    record Result(
            int firstTid,
            int endTid,
            int replayedBlocks,
            int revokedSkipped,
            int badChecksums,
            List<Txn> transactions) {
        boolean replayed() {
            return !transactions.isEmpty();
        }
    }

    /** Reads journal block {@code logBlock} (an index into the journal, not a filesystem block). */
    interface LogReader {
        byte[] read(int logBlock);
    }

    /** Writes a recovered block to its home location. */
    interface HomeWriter {
        void write(long fsBlock, byte[] image);
    }

    private final JournalSuperblock sb;
    private final LogReader log;
    private final int seed;
    private final boolean csum;
    private final boolean csumV3;
    private final boolean bit64;
    private final int tagBytes;
    private final int blockSize;

    Recovery(JournalSuperblock sb, LogReader log) {
        this.sb = sb;
        this.log = log;
        this.seed = sb.csumSeed();
        this.csum = sb.csumV2orV3();
        this.csumV3 = sb.has(JournalFormat.INCOMPAT_CSUM_V3);
        this.bit64 = sb.has(JournalFormat.INCOMPAT_64BIT);
        this.tagBytes = LogWriter.tagBytes(sb);
        this.blockSize = sb.blockSize();
    }

    /** The wrap() macro of recovery.c: past the end of the journal the log continues at s_first. */
    private int wrap(int block) {
        return block >= sb.maxLen() ? block - (sb.maxLen() - sb.first()) : block;
    }

    /** PASS_SCAN: the committed transactions from s_start, oldest first. */
    List<Txn> scan() {
        List<Txn> done = new ArrayList<>();
        int tid = sb.sequence();
        int block = sb.start();
        List<Tag> tags = new ArrayList<>();
        List<Long> revokes = new ArrayList<>();
        int budget = sb.maxLen();
        while (budget-- > 0) {
            byte[] b = log.read(block);
            if (be32(b, 0) != JournalFormat.MAGIC || be32(b, 8) != tid) {
                break;
            }
            int type = be32(b, 4);
            int next = wrap(block + 1);
            if (type == JournalFormat.DESCRIPTOR_BLOCK) {
                if (csum && !JournalFormat.tailChecksumOk(b, seed)) {
                    break;
                }
                int n = readTags(b, next, tags);
                next = wrap(block + 1 + n);
                budget -= n;
            } else if (type == JournalFormat.REVOKE_BLOCK) {
                if (csum && !JournalFormat.tailChecksumOk(b, seed) || !readRevokes(b, revokes)) {
                    break;
                }
            } else if (type == JournalFormat.COMMIT_BLOCK) {
                if (csum && be32(b, 16) != JournalFormat.commitChecksum(b, seed)) {
                    break;
                }
                done.add(new Txn(tid, tags, revokes));
                tags = new ArrayList<>();
                revokes = new ArrayList<>();
                tid++;
            } else {
                break;
            }
            block = next;
        }
        return done;
    }

    /** The tags of a descriptor block (count_tags / the replay loop of do_one_pass); returns their number. */
    private int readTags(byte[] b, int firstData, List<Tag> into) {
        int limit = blockSize - (csum ? JournalFormat.TAIL : 0);
        int pos = JournalFormat.HEADER;
        int n = 0;
        while (pos + tagBytes <= limit) {
            long blk = be32(b, pos) & 0xFFFFFFFFL;
            int flags;
            int check = 0;
            if (csumV3) {
                flags = be32(b, pos + 4);
                blk |= (long) be32(b, pos + 8) << 32;
                check = be32(b, pos + 12);
            } else {
                flags = ((b[pos + 6] & 0xFF) << 8) | (b[pos + 7] & 0xFF);
                check = ((b[pos + 4] & 0xFF) << 8) | (b[pos + 5] & 0xFF);
                if (bit64) {
                    blk |= (long) be32(b, pos + 8) << 32;
                }
            }
            into.add(new Tag(blk, wrap(firstData + n), flags, check));
            n++;
            pos += tagBytes + ((flags & JournalFormat.FLAG_SAME_UUID) == 0 ? JournalFormat.UUID_BYTES : 0);
            if ((flags & JournalFormat.FLAG_LAST_TAG) != 0) {
                break;
            }
        }
        return n;
    }

    /** scan_revoke_records: r_count bytes of 4- or 8-byte block numbers after the 16-byte header. */
    private boolean readRevokes(byte[] b, List<Long> into) {
        int count = be32(b, 12);
        int rec = bit64 ? 8 : 4;
        if (count < JournalFormat.REVOKE_HEADER || count > blockSize - (csum ? JournalFormat.TAIL : 0)) {
            return false;
        }
        for (int pos = JournalFormat.REVOKE_HEADER; pos + rec <= count; pos += rec) {
            into.add(bit64 ? JournalFormat.be64(b, pos) : be32(b, pos) & 0xFFFFFFFFL);
        }
        return true;
    }

    /** PASS_REVOKE then PASS_REPLAY over the transactions {@link #scan()} found. */
    Result replay(List<Txn> txns, HomeWriter home) {
        Map<Long, Integer> revokedBy = new HashMap<>();
        for (Txn t : txns) {
            for (long blk : t.revokes()) {
                revokedBy.merge(blk, t.tid(), (a, c) -> c - a > 0 ? c : a);
            }
        }
        int replayed = 0;
        int skipped = 0;
        int bad = 0;
        for (Txn t : txns) {
            for (Tag tag : t.tags()) {
                Integer r = revokedBy.get(tag.fsBlock());
                if (r != null && t.tid() - r <= 0) {
                    skipped++;
                    continue;
                }
                byte[] logged = log.read(tag.logBlock());
                if (!checksumOk(tag, t.tid(), logged)) {
                    bad++;
                    continue;
                }
                if ((tag.flags() & JournalFormat.FLAG_ESCAPE) != 0) {
                    be32(logged, 0, JournalFormat.MAGIC);
                }
                home.write(tag.fsBlock(), logged);
                replayed++;
            }
        }
        int end = txns.isEmpty() ? sb.sequence() : txns.get(txns.size() - 1).tid() + 1;
        return new Result(sb.sequence(), end, replayed, skipped, bad, txns);
    }

    private boolean checksumOk(Tag tag, int tid, byte[] logged) {
        if (!csum) {
            return true;
        }
        int c = JournalFormat.tagChecksum(seed, tid, logged);
        return csumV3 ? c == tag.checksum() : (c & 0xFFFF) == tag.checksum();
    }
}
