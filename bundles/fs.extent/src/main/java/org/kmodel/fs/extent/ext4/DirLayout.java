package org.kmodel.fs.extent.ext4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * A linear ext4 directory on disk (fs/ext4/namei.c, struct ext4_dir_entry_2): its blocks in logical order,
 * each holding records {inode, rec_len, name_len, file_type, name} padded to 4 bytes, the last record of a
 * block stretching to the block end, and under metadata_csum a 12-byte tail (struct ext4_dir_entry_tail:
 * a record of inode 0, rec_len 12, file type 0xDE, then crc32c seeded with the inode's seed). Block 0 starts
 * with "." and "..".
 *
 * <p>Which block holds each name is remembered, so adding or removing a name dirties one block: a
 * directory of 10,000 files costs one block at commit per change (ext4_add_entry puts a name in the first
 * block with room, as here; a removed record's space is reused).
 */
public final class DirLayout {
    /** One directory block: its address (-1 until allocated) and its names with {inode, file type}. */
    public static final class Block {
        long pblk = -1;
        final LinkedHashMap<String, long[]> entries = new LinkedHashMap<>();
        int used;
        boolean dirty = true;

        public Block() {}

        public long pblk() {
            return pblk;
        }

        public void pblk(long p) {
            pblk = p;
        }

        public boolean dirty() {
            return dirty;
        }

        public void clean() {
            dirty = false;
        }
    }

    private final int bs;
    private final boolean csum;
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, Block> where = new HashMap<>();
    private long self;
    private long parent;

    public DirLayout(int bs, boolean csum, long self, long parent) {
        this.bs = bs;
        this.csum = csum;
        this.self = self;
        this.parent = parent;
    }

    private int capacity() {
        return bs - (csum ? 12 : 0);
    }

    static int recLen(int nameLen) {
        return (8 + nameLen + 3) & ~3;
    }

    public List<Block> blocks() {
        return blocks;
    }

    public long parent() {
        return parent;
    }

    /** ".." changes (rename to another directory): block 0 is rewritten. */
    public void parent(long p) {
        parent = p;
        if (!blocks.isEmpty()) {
            blocks.get(0).dirty = true;
        }
    }

    /** A new directory: one block with "." and "..", plus {@code extra} empty blocks (lost+found). */
    public void init(int extra) {
        Block b = new Block();
        b.used = 24;
        blocks.add(b);
        for (int k = 0; k < extra; k++) {
            blocks.add(new Block());
        }
    }

    /** Adds a name; returns true when a new block had to be appended (the caller allocates it). */
    public boolean add(String name, long ino, int ftype) {
        int need = recLen(name.getBytes(StandardCharsets.UTF_8).length);
        for (Block b : blocks) {
            if (b.used + need <= capacity()) {
                put(b, name, ino, ftype, need);
                return false;
            }
        }
        Block b = new Block();
        blocks.add(b);
        put(b, name, ino, ftype, need);
        return true;
    }

    private void put(Block b, String name, long ino, int ftype, int need) {
        b.entries.put(name, new long[] {ino, ftype});
        b.used += need;
        b.dirty = true;
        where.put(name, b);
    }

    public void remove(String name) {
        Block b = where.remove(name);
        if (b != null) {
            b.entries.remove(name);
            b.used -= recLen(name.getBytes(StandardCharsets.UTF_8).length);
            b.dirty = true;
        }
    }

    /** Every block must be rewritten (an htree directory turned linear, a directory read from a host image). */
    public void markAllDirty() {
        for (Block b : blocks) {
            b.dirty = true;
        }
    }

    /** The block image of block {@code k}, sealed with its checksum tail. */
    public byte[] encode(int k, int inodeSeed) {
        Block b = blocks.get(k);
        byte[] img = new byte[bs];
        int at = 0;
        List<Object[]> recs = new ArrayList<>();
        if (k == 0) {
            recs.add(new Object[] {".", self, 2L});
            recs.add(new Object[] {"..", parent, 2L});
        }
        for (Map.Entry<String, long[]> e : b.entries.entrySet()) {
            recs.add(new Object[] {e.getKey(), e.getValue()[0], e.getValue()[1]});
        }
        if (recs.isEmpty()) {
            Le.put32(img, 0, 0);
            Le.put16(img, 4, capacity());
        }
        for (int r = 0; r < recs.size(); r++) {
            byte[] name = ((String) recs.get(r)[0]).getBytes(StandardCharsets.UTF_8);
            int len = r == recs.size() - 1 ? capacity() - at : recLen(name.length);
            Le.put32(img, at, (Long) recs.get(r)[1]);
            Le.put16(img, at + 4, len);
            Le.put8(img, at + 6, name.length);
            Le.put8(img, at + 7, (int) (long) (Long) recs.get(r)[2]);
            System.arraycopy(name, 0, img, at + 8, name.length);
            at += len;
        }
        if (csum) {
            int t = bs - 12;
            Le.put16(img, t + 4, 12);
            Le.put8(img, t + 7, 0xDE);
            Le.put32(img, t + 8, Crc32c.update(inodeSeed, img, 0, t) & 0xFFFFFFFFL);
        }
        return img;
    }

    /** Reads one block of a directory (linear, or an htree block read as linear records). */
    public void decode(byte[] img, long pblk) {
        Block b = new Block();
        b.pblk = pblk;
        b.dirty = false;
        int at = 0;
        while (at + 8 <= bs) {
            long ino = Le.u32(img, at);
            int len = Le.u16(img, at + 4);
            int nl = Le.u8(img, at + 6);
            if (len < 8 || at + len > bs || (len & 3) != 0 || nl + 8 > len) {
                throw new KernelException(Errno.EUCLEAN, "directory entry at block " + pblk + " offset " + at);
            }
            if (ino != 0) {
                String name = new String(img, at + 8, nl, StandardCharsets.UTF_8);
                if (name.equals(".")) {
                    self = ino;
                } else if (name.equals("..")) {
                    parent = ino;
                } else {
                    b.entries.put(name, new long[] {ino, Le.u8(img, at + 7)});
                    where.put(name, b);
                }
            }
            at += len;
        }
        b.used = (blocks.isEmpty() ? 24 : 0);
        for (String n : b.entries.keySet()) {
            b.used += recLen(n.getBytes(StandardCharsets.UTF_8).length);
        }
        blocks.add(b);
    }

    /** All names with {inode, file type}, in block order. */
    public Map<String, long[]> entries() {
        Map<String, long[]> all = new LinkedHashMap<>();
        for (Block b : blocks) {
            all.putAll(b.entries);
        }
        return all;
    }
}
