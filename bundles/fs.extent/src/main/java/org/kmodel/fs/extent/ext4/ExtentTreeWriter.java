package org.kmodel.fs.extent.ext4;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kmodel.fs.extent.Extent;

/**
 * Lays a file's extents out as an ext4 extent tree and writes only the tree blocks whose bytes changed.
 *
 * <p>The in-memory map (a treap with O(log n) shifts) is the truth; the tree is its persistent image,
 * packed full: up to 4 extents live in the inode (depth 0); beyond that leaves of (blocksize - 12) / 12
 * extents and as many index levels as needed until the root fits in i_block again (depth grows and shrinks
 * with the extent count, as ext4_ext_grow_indepth / ext4_ext_try_to_merge_up do). The file keeps its tree
 * blocks from one commit to the next in order; a block is rewritten only when its content hash changed.
 * So appending to a file rewrites its last leaf; a collapse or insert rewrites the leaves after the offset,
 * as ext4_ext_shift_extents does; an untouched file costs nothing at commit.
 */
public final class ExtentTreeWriter {
    /** Block services of the filesystem: allocation near a goal, release, and the metadata sink. */
    public interface Blocks {
        long allocate(long goal);

        void free(long pblk);

        void write(long pblk, byte[] image);
    }

    /** The tree blocks a file owns, in layout order, with the hash of the bytes last written to each. */
    public static final class State {
        long[] blocks = new long[0];
        long[] hashes = new long[0];

        public long[] blocks() {
            return blocks.clone();
        }

        public int count() {
            return blocks.length;
        }

        /** The tree blocks found at mount; their hashes are unknown, so the first commit rewrites them. */
        public static State of(List<Long> found) {
            State s = new State();
            s.blocks = found.stream().mapToLong(Long::longValue).toArray();
            s.hashes = new long[s.blocks.length];
            Arrays.fill(s.hashes, Long.MIN_VALUE);
            return s;
        }
    }

    private ExtentTreeWriter() {}

    /** Writes the tree for {@code extents} and returns the 60-byte i_block root. */
    public static byte[] write(
            List<Extent> extents, State st, int bs, int inodeSeed, boolean csum, Blocks io, long goal) {
        int per = ExtentCodec.blockMax(bs);
        List<long[]> level = new ArrayList<>(extents.size());
        for (Extent e : extents) {
            level.add(new long[] {e.lblk(), e.len(), e.pblk(), e.unwritten() ? 1 : 0});
        }
        List<Long> newBlocks = new ArrayList<>();
        List<Long> newHashes = new ArrayList<>();
        int depth = 0;
        int reuse = 0;
        while (level.size() > ExtentCodec.ROOT_MAX) {
            List<long[]> up = new ArrayList<>((level.size() + per - 1) / per);
            for (int from = 0; from < level.size(); from += per) {
                List<long[]> chunk = level.subList(from, Math.min(level.size(), from + per));
                byte[] img = new byte[bs];
                ExtentCodec.header(img, 0, chunk.size(), per, depth);
                fill(img, 12, chunk, depth);
                long pblk = reuse < st.blocks.length ? st.blocks[reuse] : io.allocate(goal);
                long oldHash = reuse < st.hashes.length ? st.hashes[reuse] : Long.MIN_VALUE;
                reuse++;
                int tail = 12 + 12 * per;
                if (csum) {
                    Le.put32(img, tail, Crc32c.update(inodeSeed, img, 0, tail) & 0xFFFFFFFFL);
                }
                long h = hash(img, pblk);
                if (h != oldHash) {
                    io.write(pblk, img);
                }
                newBlocks.add(pblk);
                newHashes.add(h);
                up.add(new long[] {chunk.get(0)[0], pblk});
            }
            level = up;
            depth++;
        }
        for (int k = reuse; k < st.blocks.length; k++) {
            io.free(st.blocks[k]);
        }
        st.blocks = newBlocks.stream().mapToLong(Long::longValue).toArray();
        st.hashes = newHashes.stream().mapToLong(Long::longValue).toArray();
        byte[] root = new byte[Ext4Inode.I_BLOCK_LEN];
        ExtentCodec.header(root, 0, level.size(), ExtentCodec.ROOT_MAX, depth);
        fill(root, 12, level, depth);
        return root;
    }

    private static void fill(byte[] img, int off, List<long[]> items, int depth) {
        int at = off;
        for (long[] x : items) {
            if (depth == 0) {
                ExtentCodec.leaf(img, at, new Extent(x[0], x[1], x[2], x[3] != 0));
            } else {
                ExtentCodec.index(img, at, x[0], x[1]);
            }
            at += 12;
        }
    }

    /** 64 bits from two independent hashes of the block and its address (a missed rewrite needs both to collide). */
    private static long hash(byte[] img, long pblk) {
        return (long) Arrays.hashCode(img) << 32 ^ (Crc32c.update((int) pblk, img) & 0xFFFFFFFFL);
    }
}
