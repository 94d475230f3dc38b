package org.kmodel.fs.extent.ext4;

/**
 * The group descriptor table (struct ext4_group_desc, fs/ext4/ext4.h; fs/ext4/balloc.c ext4_get_group_desc):
 * the raw table bytes, one descriptor of {@code descSize} bytes per group, with the 64bit "_hi" halves.
 */
public final class GroupDescs {
    public static final int BG_INODE_UNINIT = 0x1;
    public static final int BG_BLOCK_UNINIT = 0x2;
    public static final int BG_INODE_ZEROED = 0x4;

    private final Ext4Super sb;
    private final byte[] table;
    private final int ds;

    public GroupDescs(Ext4Super sb, byte[] table) {
        this.sb = sb;
        this.table = table;
        this.ds = sb.descSize();
    }

    public byte[] table() {
        return table;
    }

    private long lohi(long g, int lo, int hi) {
        int o = (int) (g * ds);
        return Le.u32(table, o + lo) | (ds >= 64 ? Le.u32(table, o + hi) << 32 : 0);
    }

    private long lohi16(long g, int lo, int hi) {
        int o = (int) (g * ds);
        return Le.u16(table, o + lo) | (ds >= 64 ? (long) Le.u16(table, o + hi) << 16 : 0);
    }

    private void put16(long g, int lo, int hi, long v) {
        int o = (int) (g * ds);
        Le.put16(table, o + lo, (int) v);
        if (ds >= 64) {
            Le.put16(table, o + hi, (int) (v >>> 16));
        }
    }

    private void put32(long g, int lo, int hi, long v) {
        int o = (int) (g * ds);
        Le.put32(table, o + lo, v);
        if (ds >= 64) {
            Le.put32(table, o + hi, v >>> 32);
        }
    }

    public long blockBitmap(long g) {
        return lohi(g, 0x0, 0x20);
    }

    public long inodeBitmap(long g) {
        return lohi(g, 0x4, 0x24);
    }

    public long inodeTable(long g) {
        return lohi(g, 0x8, 0x28);
    }

    public void locations(long g, long blockBitmap, long inodeBitmap, long inodeTable) {
        put32(g, 0x0, 0x20, blockBitmap);
        put32(g, 0x4, 0x24, inodeBitmap);
        put32(g, 0x8, 0x28, inodeTable);
    }

    public long freeClusters(long g) {
        return lohi16(g, 0xC, 0x2C);
    }

    public void freeClusters(long g, long v) {
        put16(g, 0xC, 0x2C, v);
    }

    public long freeInodes(long g) {
        return lohi16(g, 0xE, 0x2E);
    }

    public void freeInodes(long g, long v) {
        put16(g, 0xE, 0x2E, v);
    }

    public long usedDirs(long g) {
        return lohi16(g, 0x10, 0x30);
    }

    public void usedDirs(long g, long v) {
        put16(g, 0x10, 0x30, v);
    }

    public int flags(long g) {
        return Le.u16(table, (int) (g * ds) + 0x12);
    }

    public void flags(long g, int f) {
        Le.put16(table, (int) (g * ds) + 0x12, f);
    }

    public long itableUnused(long g) {
        return lohi16(g, 0x1C, 0x32);
    }

    public void itableUnused(long g, long v) {
        put16(g, 0x1C, 0x32, v);
    }

    /** ext4_block_bitmap_csum_set / ext4_inode_bitmap_csum_set: crc32c(seed, bitmap), split lo/hi. */
    public void bitmapChecksums(long g, int blockCsum, int inodeCsum) {
        int o = (int) (g * ds);
        Le.put16(table, o + 0x18, blockCsum);
        Le.put16(table, o + 0x1A, inodeCsum);
        if (ds >= 64) {
            Le.put16(table, o + 0x38, blockCsum >>> 16);
            Le.put16(table, o + 0x3A, inodeCsum >>> 16);
        }
    }

    /** ext4_group_desc_csum: crc32c(seed, le32 group, descriptor with bg_checksum zeroed) & 0xFFFF. */
    public int computeChecksum(long g) {
        int o = (int) (g * ds);
        int c = Crc32c.updateLe32(sb.csumSeed(), g);
        c = Crc32c.update(c, table, o, 0x1E);
        c = Crc32c.updateZeros(c, 2);
        c = Crc32c.update(c, table, o + 0x20, ds - 0x20);
        return c & 0xFFFF;
    }

    public void seal(long g) {
        Le.put16(table, (int) (g * ds) + 0x1E, computeChecksum(g));
    }

    public boolean checksumOk(long g) {
        return Le.u16(table, (int) (g * ds) + 0x1E) == computeChecksum(g);
    }

    /** The GDT block (relative to the table) holding group {@code g}'s descriptor. */
    public int tableBlockOf(long g) {
        return (int) (g * ds / sb.blockSize());
    }
}
