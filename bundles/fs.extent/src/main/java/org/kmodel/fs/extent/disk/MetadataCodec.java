package org.kmodel.fs.extent.disk;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kmodel.fs.extent.Extent;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The metadata checkpoint: inode table (attributes, extent lists, directory entries, link targets) and the
 * free-space runs. Written whole at each commit into the idle checkpoint area, so a commit is atomic.
 */
final class MetadataCodec {
    private static final int MAGIC = 0x4B4D4350; // "KMCP"

    /** Decoded checkpoint. */
    record Checkpoint(long nextIno, Map<Long, Decoded> inodes, List<long[]> freeRuns) {}

    /** One decoded inode with its extents (regular files) before it is attached to a file. */
    record Decoded(InodeData inode, long size, List<Extent> extents) {}

    private MetadataCodec() {}

    static byte[] encode(long nextIno, Map<Long, InodeData> inodes, List<long[]> freeRuns) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(nextIno);
            out.writeInt(inodes.size());
            for (InodeData i : inodes.values()) {
                writeInode(out, i);
            }
            out.writeInt(freeRuns.size());
            for (long[] r : freeRuns) {
                out.writeLong(r[0]);
                out.writeLong(r[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Encodes a checkpoint fsck repaired: inodes as decoded (extent lists instead of attached file data). */
    static byte[] encodeDecoded(long nextIno, java.util.Collection<Decoded> inodes, List<long[]> freeRuns) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(nextIno);
            out.writeInt(inodes.size());
            for (Decoded d : inodes) {
                writeHeader(out, d.inode());
                if (d.inode().isReg()) {
                    writeExtents(out, d.size(), d.extents());
                } else {
                    writeBody(out, d.inode());
                }
            }
            out.writeInt(freeRuns.size());
            for (long[] r : freeRuns) {
                out.writeLong(r[0]);
                out.writeLong(r[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void writeInode(DataOutputStream out, InodeData i) throws IOException {
        writeHeader(out, i);
        if (i.isReg()) {
            writeExtents(out, i.data.diskSize(), i.data.map().all()); // i_disksize, not i_size
        } else {
            writeBody(out, i);
        }
    }

    private static void writeExtents(DataOutputStream out, long size, List<Extent> ext) throws IOException {
        out.writeLong(size);
        out.writeInt(ext.size());
        for (Extent e : ext) {
            out.writeLong(e.lblk());
            out.writeLong(e.len());
            out.writeLong(e.pblk());
            out.writeBoolean(e.unwritten());
        }
    }

    private static void writeHeader(DataOutputStream out, InodeData i) throws IOException {
        out.writeLong(i.ino);
        out.writeInt(i.mode);
        out.writeInt(i.nlink);
        out.writeInt(i.uid);
        out.writeInt(i.gid);
        out.writeLong(i.rdev);
        out.writeLong(i.atime);
        out.writeLong(i.mtime);
        out.writeLong(i.ctime);
        out.writeInt(i.flags);
    }

    /** Directories and symlinks; names and targets are bounded before they get here (NAME_MAX, symlink limits). */
    private static void writeBody(DataOutputStream out, InodeData i) throws IOException {
        if (i.isDir()) {
            out.writeInt(i.entries.size());
            for (Map.Entry<String, Long> e : i.entries.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
        } else if (i.isSymlink()) {
            out.writeUTF(i.target);
        }
    }

    static Checkpoint decode(byte[] blob) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
            if (in.readInt() != MAGIC) {
                throw corrupt("checkpoint magic");
            }
            long nextIno = in.readLong();
            int n = count(in, blob.length, 40);
            Map<Long, Decoded> inodes = new TreeMap<>();
            for (int k = 0; k < n; k++) {
                Decoded d = readInode(in);
                inodes.put(d.inode().ino, d);
            }
            int runs = count(in, blob.length, 16);
            List<long[]> free = new ArrayList<>();
            for (int k = 0; k < runs; k++) {
                free.add(new long[] {in.readLong(), in.readLong()});
            }
            return new Checkpoint(nextIno, inodes, free);
        } catch (IOException | RuntimeException e) {
            if (e instanceof KernelException ke) {
                throw ke;
            }
            throw new KernelException(Errno.EUCLEAN, "checkpoint", e);
        }
    }

    /**
     * A count read from the checkpoint, bounded by what the blob can hold ({@code min} bytes per item): a
     * crafted count is EUCLEAN, never a huge allocation ("Requested array size exceeds VM limit").
     */
    static int count(DataInputStream in, int blobLength, int min) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > blobLength / min) {
            throw corrupt("checkpoint count " + n);
        }
        return n;
    }

    static Decoded readInode(DataInputStream in) throws IOException {
        InodeData i = new InodeData(in.readLong(), in.readInt());
        i.nlink = in.readInt();
        i.uid = in.readInt();
        i.gid = in.readInt();
        i.rdev = in.readLong();
        i.atime = in.readLong();
        i.mtime = in.readLong();
        i.ctime = in.readLong();
        i.flags = in.readInt();
        long size = 0;
        List<Extent> ext = List.of();
        if (i.isDir()) {
            i.entries = new TreeMap<>();
            int n = count(in, Integer.MAX_VALUE, 10);
            for (int k = 0; k < n; k++) {
                i.entries.put(in.readUTF(), in.readLong());
            }
        } else if (i.isSymlink()) {
            i.target = in.readUTF();
        } else if (i.isReg()) {
            size = in.readLong();
            int n = count(in, Integer.MAX_VALUE, 25);
            ext = new ArrayList<>(Math.min(n, 1024));
            for (int k = 0; k < n; k++) {
                ext.add(new Extent(in.readLong(), in.readLong(), in.readLong(), in.readBoolean()));
            }
        }
        return new Decoded(i, size, ext);
    }

    static KernelException corrupt(String what) {
        return new KernelException(Errno.EUCLEAN, what);
    }
}
