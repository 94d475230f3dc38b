package org.kmodel.fs.extent.disk;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kmodel.block.BlockDevice;
import org.kmodel.fs.extent.Extent;

/**
 * Log recovery of {@link DeltaLogStore} (fs/xfs/xfs_log_recover.c in spirit: find the last complete record
 * after the checkpoint, replay the records in order). Records are applied to the decoded checkpoint: changed
 * inodes replace their predecessors (a directory keeps its entries), then the entry changes in order, then
 * the frees. The log ends at the first block that is not the next record of this generation with intact
 * checksums. Free space is then recomputed as the complement of all extents.
 */
final class DeltaLogReplay {
    /** The recovered metadata, where the log continues, and the next record number. */
    record Result(MetadataCodec.Checkpoint checkpoint, long logHead, long nextRecord, int records) {}

    private DeltaLogReplay() {}

    static Result replay(
            BlockDevice device, OnDiskSuper sb, MetadataCodec.Checkpoint base, long firstUnit, long endUnit, int cpc) {
        int bs = sb.blockSize();
        long head = DeltaLogStore.logStart(sb);
        long areaEnd = sb.areaStart(sb.slot()) + sb.areaBlocks();
        long expect = 1;
        long nextIno = base.nextIno();
        Map<Long, MetadataCodec.Decoded> inodes = new TreeMap<>(base.inodes());
        byte[] first = new byte[bs];
        while (head < areaEnd) {
            device.read(head * bs, first, 0, bs);
            ByteBuffer h = ByteBuffer.wrap(first);
            if (h.getInt() != DeltaLogStore.RECORD_MAGIC || h.getLong() != sb.seq() || h.getLong() != expect) {
                break;
            }
            long recNextIno = h.getLong();
            int len = h.getInt();
            int payloadCrc = h.getInt();
            int headerCrc = h.getInt();
            long blocks = ((long) DeltaLogStore.HEADER + len + bs - 1) / bs;
            if (headerCrc != DeltaLogStore.crc(first, 0, DeltaLogStore.HEADER - 4)
                    || len < 0
                    || blocks > areaEnd - head) {
                break;
            }
            byte[] rec = new byte[(int) blocks * bs];
            device.read(head * bs, rec, 0, rec.length);
            if (DeltaLogStore.crc(rec, DeltaLogStore.HEADER, len) != payloadCrc) {
                break;
            }
            apply(rec, len, inodes);
            nextIno = recNextIno;
            head += blocks;
            expect++;
        }
        List<long[]> free = expect == 1 ? base.freeRuns() : freeRuns(inodes, firstUnit, endUnit, cpc);
        return new Result(new MetadataCodec.Checkpoint(nextIno, inodes, free), head, expect, (int) (expect - 1));
    }

    private static void apply(byte[] rec, int len, Map<Long, MetadataCodec.Decoded> inodes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(rec, DeltaLogStore.HEADER, len))) {
            // counts bounded by the record's length (as the checkpoint's): a crafted count is EUCLEAN
            int n = MetadataCodec.count(in, len, 40);
            for (int k = 0; k < n; k++) {
                MetadataCodec.Decoded d = MetadataCodec.readInode(in);
                MetadataCodec.Decoded old = inodes.get(d.inode().ino);
                if (d.inode().isDir() && old != null && old.inode().isDir()) {
                    d.inode().entries = old.inode().entries;
                }
                inodes.put(d.inode().ino, d);
            }
            int ops = MetadataCodec.count(in, len, 19);
            for (int k = 0; k < ops; k++) {
                boolean add = in.readBoolean();
                long dir = in.readLong();
                String name = in.readUTF();
                long child = in.readLong();
                MetadataCodec.Decoded d = inodes.get(dir);
                if (d == null || !d.inode().isDir()) {
                    continue; // a directory created and removed within the same record
                }
                if (add) {
                    d.inode().entries.put(name, child);
                } else {
                    d.inode().entries.remove(name);
                }
            }
            int frees = MetadataCodec.count(in, len, 8);
            for (int k = 0; k < frees; k++) {
                inodes.remove(in.readLong());
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof org.kmodel.kernel.KernelException ke) {
                throw ke;
            }
            // the checksum matched, so this is a record we cannot have written: stop trusting the image
            throw MetadataCodec.corrupt("log record: " + e.getMessage());
        }
    }

    /** Clusters of the data area no extent uses, as {start, length} runs in order. */
    static List<long[]> freeRuns(Map<Long, MetadataCodec.Decoded> inodes, long firstUnit, long endUnit, int cpc) {
        List<long[]> used = new ArrayList<>();
        for (MetadataCodec.Decoded d : inodes.values()) {
            for (Extent e : d.extents()) {
                used.add(new long[] {e.pblk() / cpc, (e.pend() + cpc - 1) / cpc});
            }
        }
        used.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> free = new ArrayList<>();
        long pos = firstUnit;
        for (long[] u : used) {
            if (u[0] > pos) {
                free.add(new long[] {pos, u[0] - pos});
            }
            pos = Math.max(pos, u[1]);
        }
        if (pos < endUnit) {
            free.add(new long[] {pos, endUnit - pos});
        }
        return free;
    }
}
