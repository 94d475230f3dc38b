package org.kmodel.fs.extent.ext4;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.kmodel.fs.extent.Extent;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The on-disk extent tree (fs/ext4/ext4_extents.h): a 12-byte header (magic 0xF30A, entries, max, depth,
 * generation) followed by 12-byte leaf extents (depth 0) or index entries. The root lives in the inode's
 * i_block (max 4 entries); tree blocks hold (blocksize - 12) / 12 entries and end in a crc32c tail
 * (struct ext4_extent_tail) seeded with the inode's checksum seed. An unwritten extent stores its length
 * plus 32768 (EXT_INIT_MAX_LEN), so a written extent is at most 32768 blocks and an unwritten one 32767.
 */
public final class ExtentCodec {
    public static final int MAGIC = 0xF30A;
    public static final int ROOT_MAX = 4;
    static final int INIT_MAX_LEN = 32768;

    private ExtentCodec() {}

    /** Entries of a tree block: (blocksize - header) / entry size (ext4_ext_space_block). */
    public static int blockMax(int blockSize) {
        return (blockSize - 12) / 12;
    }

    /** The extents of a tree whose root is {@code iblock}; the tree blocks met are added to {@code blocksOut}. */
    public static List<Extent> read(
            byte[] iblock, LongFunction<byte[]> readBlock, int bs, int inodeSeed, boolean csum, List<Long> blocksOut) {
        List<Extent> out = new ArrayList<>();
        walk(iblock, 0, -1, readBlock, bs, inodeSeed, csum, blocksOut, out, 0);
        return out;
    }

    private static void walk(
            byte[] b,
            int off,
            int expectDepth,
            LongFunction<byte[]> readBlock,
            int bs,
            int seed,
            boolean csum,
            List<Long> blocksOut,
            List<Extent> out,
            int guard) {
        if (Le.u16(b, off) != MAGIC || guard > 8) {
            throw corrupt("extent header magic");
        }
        int entries = Le.u16(b, off + 2);
        int max = Le.u16(b, off + 4);
        int depth = Le.u16(b, off + 6);
        if (entries > max || (expectDepth >= 0 && depth != expectDepth)) {
            throw corrupt("extent header");
        }
        for (int k = 0; k < entries; k++) {
            int e = off + 12 + 12 * k;
            long lblk = Le.u32(b, e);
            if (depth == 0) {
                int len = Le.u16(b, e + 4);
                long pblk = (long) Le.u16(b, e + 6) << 32 | Le.u32(b, e + 8);
                boolean unwritten = len > INIT_MAX_LEN;
                out.add(new Extent(lblk, unwritten ? len - INIT_MAX_LEN : len, pblk, unwritten));
            } else {
                long child = Le.u32(b, e + 4) | (long) Le.u16(b, e + 8) << 32;
                byte[] blk = readBlock.apply(child);
                if (csum
                        && Le.u32(blk, 12 + 12 * Le.u16(blk, 4))
                                != (Crc32c.update(seed, blk, 0, 12 + 12 * Le.u16(blk, 4)) & 0xFFFFFFFFL)) {
                    throw corrupt("extent block checksum at " + child);
                }
                blocksOut.add(child);
                walk(blk, 0, depth - 1, readBlock, bs, seed, csum, blocksOut, out, guard + 1);
            }
        }
    }

    static void header(byte[] b, int off, int entries, int max, int depth) {
        Le.put16(b, off, MAGIC);
        Le.put16(b, off + 2, entries);
        Le.put16(b, off + 4, max);
        Le.put16(b, off + 6, depth);
        Le.put32(b, off + 8, 0);
    }

    static void leaf(byte[] b, int at, Extent x) {
        Le.put32(b, at, x.lblk());
        Le.put16(b, at + 4, (int) (x.unwritten() ? x.len() + INIT_MAX_LEN : x.len()));
        Le.put16(b, at + 6, (int) (x.pblk() >>> 32));
        Le.put32(b, at + 8, x.pblk());
    }

    static void index(byte[] b, int at, long lblk, long child) {
        Le.put32(b, at, lblk);
        Le.put32(b, at + 4, child);
        Le.put16(b, at + 8, (int) (child >>> 32));
        Le.put16(b, at + 10, 0);
    }

    /** Tree blocks a fully packed tree of {@code n} extents needs (what {@link ExtentTreeWriter} lays out). */
    public static long treeBlocks(long n, int bs) {
        long total = 0;
        long level = n;
        int per = blockMax(bs);
        while (level > ROOT_MAX) {
            level = (level + per - 1) / per;
            total += level;
        }
        return total;
    }

    static KernelException corrupt(String what) {
        return new KernelException(Errno.EUCLEAN, what);
    }
}
