package org.kmodel.fs.extent.disk;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.kmodel.block.BlockDevice;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * kmodel's own format (xfs, and ext4 images made by kmodel before it wrote real ext4) with an incremental
 * commit, as xfs logs only what a transaction changed (fs/xfs/xfs_log_cil.c: the CIL collects the dirty log
 * items, xlog_cil_push writes them as one checkpoint record; fs/xfs/xfs_log_recover.c replays the records
 * after the last checkpoint at mount). Each checkpoint area holds a full metadata checkpoint followed by a
 * <em>delta log</em>: one record per commit, holding the inodes that changed (attributes, size, extent list;
 * for a directory its attributes only), the directory entries added and removed in order, the inodes freed,
 * and the next inode number. A commit costs what it changed, not the whole metadata.
 *
 * <p>A commit flushes the ordered data, then writes its record with FUA right after the previous one. A record
 * counts only with the checkpoint's generation (the superblock sequence), the next record number and intact
 * checksums, so a torn record and anything after it, or a record left over from an older use of the area, end
 * the log. When the area is full a new full checkpoint goes to the other area (flush, then the superblock with
 * FUA, as before); until that superblock is durable the old checkpoint and its log stay intact. Free space is
 * not logged: after replay it is the complement of every extent, which is what the records describe.
 * The layout is described in docs/xfs-format.md.
 */
final class DeltaLogStore implements MetadataStore {
    static final int RECORD_MAGIC = 0x4B4D4C52; // "KMLR"
    /** magic, generation, record number, next inode, payload length, payload crc, header crc. */
    static final int HEADER = 4 + 8 + 8 + 8 + 4 + 4 + 4;

    /** A directory entry change, in the order it was made. */
    record DirOp(boolean add, long dir, String name, long child) {}

    private final DiskSuperBlock fs;
    private final BlockDevice device;
    private OnDiskSuper sb;
    long nextIno;
    /** Next free block of the active area's log (absolute block number). */
    private long logHead;
    /** Number the next record gets (1 after a checkpoint). */
    private long recordNo = 1;

    private final LinkedHashSet<Long> dirty = new LinkedHashSet<>();
    private final LinkedHashSet<Long> freed = new LinkedHashSet<>();
    private final List<DirOp> dirOps = new ArrayList<>();
    /**
     * An upper bound of the next full checkpoint's length: exact after a checkpoint or a measure, then grown
     * by every reservation; -1 until first measured after mount.
     */
    private long used = -1;
    /** Bytes the metadata may grow per extent-or-free-run piece an operation adds (an extent record is 25
     *  bytes, a free run 16; rounded up). Outstanding delayed-allocation clusters are counted at this rate. */
    static final long PIECE = 64;

    private long records;
    private long checkpoints;
    private long bytesWritten;

    DeltaLogStore(DiskSuperBlock fs, OnDiskSuper sb) {
        this.fs = fs;
        this.device = fs.device();
        this.sb = sb;
        this.logHead = logStart(sb);
    }

    /** The first log block of {@code s}'s area: right after its checkpoint. */
    static long logStart(OnDiskSuper s) {
        return s.areaStart(s.slot()) + (s.blobLen() + s.blockSize() - 1) / s.blockSize();
    }

    OnDiskSuper sb() {
        return sb;
    }

    @Override
    public long allocateIno(int mode) {
        return nextIno++;
    }

    @Override
    public void created(InodeData i, long parent) {
        dirty.add(i.ino);
    }

    @Override
    public void freed(InodeData i) {
        dirty.remove(i.ino);
        freed.add(i.ino);
    }

    @Override
    public void dirty(long ino) {
        dirty.add(ino);
    }

    @Override
    public void dirAdd(InodeData dir, String name, InodeData child) {
        dirOps.add(new DirOp(true, dir.ino, name, child.ino));
    }

    @Override
    public void dirRemove(InodeData dir, String name) {
        dirOps.add(new DirOp(false, dir.ino, name, 0));
    }

    @Override
    public long dirBlocks512(InodeData dir) {
        return fs.profile().blockSize() / 512;
    }

    @Override
    public long inodeTotal() {
        return Math.max(1024, sb.blockCount() / 4);
    }

    @Override
    public void reserve(long bytes, String op) {
        long capacity = sb.areaBlocks() * sb.blockSize();
        if (used >= 0 && used + bytes <= capacity) {
            used += bytes;
            return;
        }
        // as xfs_trans_reserve forces the log and retries before it gives up: measure exactly, then decide
        used = measure();
        if (used + bytes > capacity) {
            throw new KernelException(Errno.ENOSPC, op + ": metadata area full");
        }
        used += bytes;
    }

    /** The checkpoint the metadata would need now, plus what outstanding delayed allocations may add. */
    private long measure() {
        return MetadataCodec.encode(nextIno, fs.inodeMap(), fs.allocator().runsAfterCommit()).length
                + PIECE * (fs.reserved() + 2);
    }

    /** Records appended, full checkpoints written, bytes written by commits (for tests and benchmarks). */
    long[] counters() {
        return new long[] {records, checkpoints, bytesWritten};
    }

    @Override
    public void commit() {
        byte[] payload = sb.seq() == 0 ? null : encodeDelta();
        int bs = sb.blockSize();
        long blocks = payload == null ? Long.MAX_VALUE : (HEADER + payload.length + bs - 1) / bs;
        long areaEnd = sb.areaStart(sb.slot()) + sb.areaBlocks();
        if (payload == null || blocks > areaEnd - logHead) {
            checkpoint();
        } else {
            append(payload, (int) blocks);
        }
        dirty.clear();
        freed.clear();
        dirOps.clear();
        fs.allocator().commit();
    }

    private void append(byte[] payload, int blocks) {
        int bs = sb.blockSize();
        byte[] rec = new byte[blocks * bs];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(rec);
        b.putInt(RECORD_MAGIC)
                .putLong(sb.seq())
                .putLong(recordNo)
                .putLong(nextIno)
                .putInt(payload.length)
                .putInt(crc(payload, 0, payload.length));
        b.putInt(crc(rec, 0, HEADER - 4));
        System.arraycopy(payload, 0, rec, HEADER, payload.length);
        // ordered mode: the data this record makes reachable is durable first
        device.flush();
        device.write(logHead * bs, rec, 0, rec.length, true);
        logHead += blocks;
        recordNo++;
        records++;
        bytesWritten += rec.length;
    }

    /**
     * The whole metadata into the idle area, flush, then that area's superblock with FUA: the log starts
     * empty after it (the previous area and its log are dead once the superblock is durable).
     */
    private void checkpoint() {
        byte[] blob =
                MetadataCodec.encode(nextIno, fs.inodeMap(), fs.allocator().runsAfterCommit());
        OnDiskSuper next = writeCheckpoint(device, sb, blob);
        used = blob.length + PIECE * (fs.reserved() + 2);
        sb = next;
        logHead = logStart(next);
        recordNo = 1;
        checkpoints++;
        int bs = next.blockSize();
        bytesWritten += (blob.length + bs - 1) / bs * bs + Math.max(OnDiskSuper.LENGTH, device.logicalBlockSize());
    }

    /**
     * The full-checkpoint half of the commit protocol, also fsck's repair path: {@code blob} into the idle area,
     * flush, then that area's superblock copy (generation {@code seq + 1}) with FUA. Until the FUA write
     * completes the previous checkpoint and its log are the newest intact state; after it the old log no longer
     * counts (its records carry the old generation).
     */
    static OnDiskSuper writeCheckpoint(BlockDevice device, OnDiskSuper sb, byte[] blob) {
        int bs = sb.blockSize();
        if (blob.length > sb.areaBlocks() * bs) {
            throw new KernelException(Errno.ENOSPC, "metadata area full");
        }
        int slot = 1 - sb.slot();
        byte[] padded = java.util.Arrays.copyOf(blob, (blob.length + bs - 1) / bs * bs);
        device.flush();
        device.write(sb.areaStart(slot) * bs, padded, 0, padded.length, false);
        device.flush();
        OnDiskSuper next = sb.next(sb.seq() + 1, blob.length, crc(blob, 0, blob.length), slot);
        byte[] sector = java.util.Arrays.copyOf(next.encode(), Math.max(OnDiskSuper.LENGTH, device.logicalBlockSize()));
        device.write((long) slot * bs, sector, 0, sector.length, true);
        return next;
    }

    private byte[] encodeDelta() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Map<Long, InodeData> all = fs.inodeMap();
            List<InodeData> changed = new ArrayList<>();
            for (long ino : dirty) {
                InodeData i = all.get(ino);
                if (i != null) {
                    changed.add(i);
                }
            }
            out.writeInt(changed.size());
            for (InodeData i : changed) {
                MetadataCodec.writeInode(out, i.isDir() ? withoutEntries(i) : i);
            }
            out.writeInt(dirOps.size());
            for (DirOp op : dirOps) {
                out.writeBoolean(op.add());
                out.writeLong(op.dir());
                out.writeUTF(op.name());
                out.writeLong(op.child());
            }
            out.writeInt(freed.size());
            for (long ino : freed) {
                out.writeLong(ino);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A directory's record carries its attributes; its entries travel as {@link DirOp}s. */
    private static InodeData withoutEntries(InodeData d) {
        InodeData c = new InodeData(d.ino, d.mode);
        c.nlink = d.nlink;
        c.uid = d.uid;
        c.gid = d.gid;
        c.rdev = d.rdev;
        c.atime = d.atime;
        c.mtime = d.mtime;
        c.ctime = d.ctime;
        c.flags = d.flags;
        c.entries = new TreeMap<>();
        return c;
    }

    /**
     * Mount: the checkpoint plus every valid record of its log (xlog_recover); leaves the log head after the
     * last valid record, so the next commit continues the log.
     */
    MetadataCodec.Checkpoint recover(MetadataCodec.Checkpoint base) {
        DeltaLogReplay.Result r = DeltaLogReplay.replay(
                device,
                sb,
                base,
                fs.allocator().firstUnit(),
                fs.allocator().endUnit(),
                fs.profile().blocksPerCluster());
        logHead = r.logHead();
        recordNo = r.nextRecord();
        nextIno = r.checkpoint().nextIno();
        return r.checkpoint();
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
