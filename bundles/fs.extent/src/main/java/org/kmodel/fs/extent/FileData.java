package org.kmodel.fs.extent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kmodel.block.BlockDevice;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The data of one regular file: size, block map and the block I/O that reads and writes it
 * (fs/ext4/inode.c, fs/xfs/xfs_aops.c + fs/iomap/buffered-io.c). Holes and unwritten extents read as zeros
 * without touching the device. A write into a hole or an unwritten block writes the whole block, zeros
 * around the new bytes, before the block is marked written (the zeroing iomap_write_begin does for
 * unwritten/new blocks): so a block that becomes readable never shows what it held for another file.
 *
 * <p>Invariant: on the device, the bytes of the EOF block past i_size are zero (truncate zeroes the tail,
 * like block_truncate_page), so growing the file never reveals old bytes there.
 */
public final class FileData {
    private final FsProfile profile;
    private final BlockDevice device;
    private final BlockMapper mapper;
    private final int bs;
    private long size;
    /**
     * The size a commit writes into the inode (ext4's {@code i_disksize}, xfs's {@code di_size}), as opposed to
     * {@link #size()}, the in-memory {@code i_size} a write(2) moves at once. It covers only data that went to
     * the device: writeback moves it to the end of what it wrote (ext4 {@code mpage_map_and_submit_extent},
     * xfs {@code xfs_setfilesize} at I/O completion), never a buffered write itself ({@code ext4_da_write_end}
     * leaves i_disksize alone for a delayed page). So after a crash a file whose new data never reached the disk
     * is shorter, never a stretch of NUL bytes (issue 12).
     */
    private long diskSize;
    /** A size a truncate or fallocate set that waits for data written below it to go out first, or -1. */
    private long loggedSize = -1;

    public FileData(FsProfile profile, BlockDevice device, BlockMapper mapper, long size) {
        this.profile = profile;
        this.device = device;
        this.mapper = mapper;
        this.bs = profile.blockSize();
        this.size = size;
        this.diskSize = size;
    }

    public FsProfile profile() {
        return profile;
    }

    public BlockMapper mapper() {
        return mapper;
    }

    public ExtentMap map() {
        return mapper.map();
    }

    public long size() {
        return size;
    }

    void setSize(long size) {
        this.size = size;
        sizeLogged(size);
    }

    /** The size commits persist (i_disksize); at most {@link #size()}. */
    public long diskSize() {
        return Math.min(diskSize, size);
    }

    /**
     * A truncate or fallocate set the size to {@code newSize}: the kernel logs it in that operation's transaction
     * (ext4_setattr, ext4_update_inode_size; xfs_setattr_size after writing back the range between the old on-disk
     * size and the new one). A size that shrinks below the on-disk size takes effect at once; one that would
     * cover buffered data not yet written back waits for it ({@link #settleDiskSize}): the model has no way to
     * write that data back from here, so it defers the size where xfs flushes first.
     */
    void sizeLogged(long newSize) {
        if (diskSize > newSize) {
            diskSize = newSize;
        }
        loggedSize = newSize;
    }

    /**
     * Moves the on-disk size after writeback or a size change: to the end of what writeback just wrote
     * ({@code writtenEnd}, 0 if nothing), capped at {@link #size()}; and to a logged size once no page still
     * waiting for writeback lies below it ({@code firstPending}: the first byte of the first such page,
     * {@code Long.MAX_VALUE} if none). Returns whether the on-disk size changed (the inode must be logged).
     */
    public boolean settleDiskSize(long writtenEnd, long firstPending) {
        long before = diskSize;
        if (diskSize > size) {
            diskSize = size;
        }
        if (writtenEnd > diskSize) {
            diskSize = Math.min(writtenEnd, size);
        }
        if (loggedSize >= 0 && firstPending >= Math.min(size, loggedSize)) {
            diskSize = Math.max(diskSize, Math.min(size, loggedSize));
            loggedSize = -1;
        }
        return diskSize != before;
    }

    /** i_size_write from a write or mmap store: the size only grows; post-EOF blocks become in-file. */
    public void extendTo(long newSize) {
        size = Math.max(size, newSize);
    }

    public int blockSize() {
        return bs;
    }

    /** st_blocks: 512-byte units of every mapped cluster, unwritten and post-EOF ones included. */
    public long stBlocks() {
        return mapper.clustersMapped() * (profile.clusterSize() / 512);
    }

    long blockOf(long pos) {
        return pos / bs;
    }

    long blocksCovering(long end) {
        // end may be close to Long.MAX_VALUE (xfs s_maxbytes is LLONG_MAX): round up without overflowing
        return end / bs + (end % bs == 0 ? 0 : 1);
    }

    /** Reads up to EOF; returns the bytes read (0 at or past EOF). */
    public int read(long pos, byte[] buf, int off, int len) {
        if (pos < 0 || len < 0) {
            throw new KernelException(Errno.EINVAL, "read");
        }
        if (pos >= size) {
            return 0;
        }
        int n = (int) Math.min(len, size - pos);
        readRaw(pos, buf, off, n);
        return n;
    }

    /** Reads through the block map without the EOF limit (used for blocks straddling EOF). */
    void readRaw(long pos, byte[] buf, int off, int n) {
        byte[] block = new byte[bs];
        int done = 0;
        while (done < n) {
            long p = pos + done;
            long b = p / bs;
            int in = (int) (p % bs);
            int chunk = Math.min(n - done, bs - in);
            Extent e = map().lookup(b);
            if (e == null || e.unwritten()) {
                Arrays.fill(buf, off + done, off + done + chunk, (byte) 0);
            } else {
                device.read((e.pblk() + (b - e.lblk())) * bs, block, 0, bs);
                System.arraycopy(block, in, buf, off + done, chunk);
            }
            done += chunk;
        }
    }

    /**
     * Writes {@code len} bytes at {@code pos}, allocating holes and converting unwritten blocks, and
     * extends the size. On ENOSPC nothing has changed (blocks taken for this write are given back).
     */
    public void write(long pos, byte[] buf, int off, int len, long fsizeLimit) {
        if (len == 0) {
            return;
        }
        long end = pos + len;
        if (end > fsizeLimit && end > size) {
            throw new KernelException(Errno.EFBIG, "write");
        }
        long from = blockOf(pos);
        long to = blocksCovering(end);
        List<Extent> added;
        try {
            added = mapper.allocate(from, to, true);
        } catch (BlockMapper.PartialAllocation e) {
            undo(e.added());
            throw new KernelException(Errno.ENOSPC, "write");
        }
        byte[] block = new byte[bs];
        for (long b = from; b < to; b++) {
            Extent e = map().lookup(b);
            long start = Math.max(pos, b * bs);
            long stop = Math.min(end, (b + 1) * bs);
            long dev = (e.pblk() + (b - e.lblk())) * bs;
            boolean whole = start == b * bs && stop == (b + 1) * bs;
            if (!whole && !e.unwritten()) {
                device.read(dev, block, 0, bs);
            } else if (!whole) {
                Arrays.fill(block, (byte) 0);
            }
            System.arraycopy(buf, off + (int) (start - pos), block, (int) (start - b * bs), (int) (stop - start));
            device.write(dev, block, 0, bs, false);
        }
        map().setState(from, to, false);
        size = Math.max(size, end);
    }

    /** Gives back blocks allocated by an operation that then failed. */
    void undo(List<Extent> added) {
        for (Extent e : added) {
            mapper.free(e.lblk(), e.end(), true);
        }
    }

    /** Zeros bytes [from, to) in place where they are written; holes and unwritten blocks read zero anyway. */
    void zeroInPlace(long from, long to) {
        if (from >= to) {
            return;
        }
        byte[] block = new byte[bs];
        for (long b = blockOf(from); b < blocksCovering(to); b++) {
            Extent e = map().lookup(b);
            if (e == null || e.unwritten()) {
                continue;
            }
            long dev = (e.pblk() + (b - e.lblk())) * bs;
            int s = (int) (Math.max(from, b * bs) - b * bs);
            int t = (int) (Math.min(to, (b + 1) * bs) - b * bs);
            if (s == 0 && t == bs) {
                Arrays.fill(block, (byte) 0);
            } else {
                device.read(dev, block, 0, bs);
                Arrays.fill(block, s, t, (byte) 0);
            }
            device.write(dev, block, 0, bs, false);
        }
    }

    /**
     * ftruncate: zero the tail of the new EOF block, free every block past it (post-EOF preallocation
     * included) when the size does not grow, and set the size. A growing size keeps the blocks past the old EOF
     * (ext4_setattr calls ext4_truncate only for ia_size &lt;= i_size, xfs_setattr_size xfs_itruncate_extents only
     * for newsize &lt;= oldsize; measured on 6.18: falloc -k past EOF, then truncate up, keeps them on both).
     */
    public void truncate(long newSize, long fsizeLimit) {
        if (newSize < 0) {
            throw new KernelException(Errno.EINVAL, "truncate");
        }
        if (newSize > profile.maxBytes() || (newSize > size && newSize > fsizeLimit)) {
            throw new KernelException(Errno.EFBIG, "truncate");
        }
        if (newSize < size && newSize % bs != 0) {
            zeroInPlace(newSize, Math.min(size, (newSize / bs + 1) * bs));
        }
        if (newSize <= size) {
            mapper.free(blocksCovering(newSize), Long.MAX_VALUE / 2, false);
        }
        size = newSize;
        sizeLogged(newSize);
    }

    /** FIEMAP: every extent in bytes, unwritten ones flagged, post-EOF ones included. */
    public List<long[]> fiemap() {
        List<long[]> out = new ArrayList<>();
        for (Extent e : map().all()) {
            out.add(new long[] {e.lblk() * bs, e.pblk() * bs, e.len() * bs, e.unwritten() ? 1 : 0});
        }
        return out;
    }
}
