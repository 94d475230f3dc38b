package org.kmodel.fs.extent.ext4;

/**
 * struct ext4_inode (fs/ext4/ext4.h) over its raw on-disk bytes (s_inode_size, 256 by default: 128 base
 * bytes plus i_extra_isize = 32 of extra fields). Unknown fields (xattrs in the extra space, i_file_acl,
 * project id) are carried as read. Times are nanoseconds since the epoch, stored as seconds plus the
 * *_extra word (nanoseconds << 2 | epoch bits, fs/ext4/ext4.h ext4_encode_extra_time).
 */
public final class Ext4Inode {
    public static final int EXTENTS_FL = 0x80000;
    public static final int INDEX_FL = 0x1000;
    public static final int HUGE_FILE_FL = 0x40000;
    public static final int INLINE_DATA_FL = 0x10000000;
    /** Flags chattr shows (FS_FL_USER_VISIBLE minus what ext4 manages itself). */
    public static final int USER_FLAGS = 0x000380FF;

    public static final int I_BLOCK = 0x28;
    public static final int I_BLOCK_LEN = 60;

    private final byte[] raw;

    public Ext4Inode(byte[] raw) {
        this.raw = raw;
    }

    /** A zeroed inode of {@code size} bytes with i_extra_isize = 32 when there is room. */
    public static Ext4Inode fresh(int size) {
        Ext4Inode i = new Ext4Inode(new byte[size]);
        if (size > 128) {
            Le.put16(i.raw, 0x80, Math.min(32, size - 128));
        }
        return i;
    }

    public byte[] raw() {
        return raw;
    }

    public int mode() {
        return Le.u16(raw, 0x0);
    }

    public void mode(int m) {
        Le.put16(raw, 0x0, m);
    }

    public int uid() {
        return Le.u16(raw, 0x2) | Le.u16(raw, 0x78) << 16;
    }

    public void uid(int v) {
        Le.put16(raw, 0x2, v);
        Le.put16(raw, 0x78, v >>> 16);
    }

    public int gid() {
        return Le.u16(raw, 0x18) | Le.u16(raw, 0x7A) << 16;
    }

    public void gid(int v) {
        Le.put16(raw, 0x18, v);
        Le.put16(raw, 0x7A, v >>> 16);
    }

    public long size() {
        return Le.u32(raw, 0x4) | Le.u32(raw, 0x6C) << 32;
    }

    public void size(long v) {
        Le.put32(raw, 0x4, v);
        Le.put32(raw, 0x6C, v >>> 32);
    }

    public int links() {
        return Le.u16(raw, 0x1A);
    }

    public void links(int n) {
        // dir_nlink: past EXT4_LINK_MAX a directory's count is stored as 1 (ext4_inc_count)
        Le.put16(raw, 0x1A, n > 65000 ? 1 : n);
    }

    public long dtime() {
        return Le.u32(raw, 0x14);
    }

    public void dtime(long v) {
        Le.put32(raw, 0x14, v);
    }

    /** i_blocks in 512-byte units (huge_file without EXT4_HUGE_FILE_FL: the 48-bit count is in sectors). */
    public long blocks512(int blockSize) {
        long b = Le.u32(raw, 0x1C) | (long) Le.u16(raw, 0x74) << 32;
        return (flags() & HUGE_FILE_FL) != 0 ? b * (blockSize / 512) : b;
    }

    public void blocks512(long v) {
        Le.put32(raw, 0x1C, v);
        Le.put16(raw, 0x74, (int) (v >>> 32));
        flags(flags() & ~HUGE_FILE_FL);
    }

    public int flags() {
        return (int) Le.u32(raw, 0x20);
    }

    public void flags(int f) {
        Le.put32(raw, 0x20, f & 0xFFFFFFFFL);
    }

    public long generation() {
        return Le.u32(raw, 0x64);
    }

    public void generation(long g) {
        Le.put32(raw, 0x64, g);
    }

    public long fileAcl() {
        return Le.u32(raw, 0x68) | (long) Le.u16(raw, 0x76) << 32;
    }

    /** i_file_acl: the external extended-attribute block, 0 for none. */
    public void fileAcl(long b) {
        Le.put32(raw, 0x68, b);
        Le.put16(raw, 0x76, (int) (b >>> 32));
    }

    public int extraIsize() {
        return raw.length > 128 ? Le.u16(raw, 0x80) : 0;
    }

    /** The 60 bytes of i_block (extent root, fast symlink target, or device numbers). */
    public byte[] iblock() {
        return java.util.Arrays.copyOfRange(raw, I_BLOCK, I_BLOCK + I_BLOCK_LEN);
    }

    public void iblock(byte[] b) {
        java.util.Arrays.fill(raw, I_BLOCK, I_BLOCK + I_BLOCK_LEN, (byte) 0);
        System.arraycopy(b, 0, raw, I_BLOCK, Math.min(b.length, I_BLOCK_LEN));
    }

    private boolean hasExtra(int fieldEnd) {
        return raw.length > 128 && 128 + extraIsize() >= fieldEnd;
    }

    private long time(int off, int extraOff) {
        long sec = (int) Le.u32(raw, off); // signed 32-bit seconds
        long nsec = 0;
        if (hasExtra(extraOff + 4)) {
            long extra = Le.u32(raw, extraOff);
            sec += (extra & 3) << 32;
            nsec = extra >>> 2;
        }
        return sec * 1_000_000_000L + nsec;
    }

    private void time(int off, int extraOff, long ns) {
        long sec = Math.floorDiv(ns, 1_000_000_000L);
        long nsec = Math.floorMod(ns, 1_000_000_000L);
        Le.put32(raw, off, sec);
        if (hasExtra(extraOff + 4)) {
            long epoch = ((sec - (int) sec) >> 32) & 3;
            Le.put32(raw, extraOff, nsec << 2 | epoch);
        }
    }

    public long atime() {
        return time(0x8, 0x8C);
    }

    public void atime(long ns) {
        time(0x8, 0x8C, ns);
    }

    public long ctime() {
        return time(0xC, 0x84);
    }

    public void ctime(long ns) {
        time(0xC, 0x84, ns);
    }

    public long mtime() {
        return time(0x10, 0x88);
    }

    public void mtime(long ns) {
        time(0x10, 0x88, ns);
    }

    public void crtime(long ns) {
        time(0x90, 0x94, ns);
    }

    /**
     * ext4_inode_csum (fs/ext4/inode.c): crc32c seeded with fs seed, le32 inode number and le32 generation,
     * over the whole inode with i_checksum_lo and (if the extra fields reach it) i_checksum_hi read as zero.
     */
    public int computeChecksum(int fsSeed, long ino) {
        int c = Crc32c.updateLe32(Crc32c.updateLe32(fsSeed, ino), generation());
        c = Crc32c.update(c, raw, 0, 0x7C);
        c = Crc32c.updateZeros(c, 2);
        c = Crc32c.update(c, raw, 0x7E, 128 - 0x7E);
        if (raw.length > 128) {
            if (hasExtra(0x84)) {
                c = Crc32c.update(c, raw, 128, 2);
                c = Crc32c.updateZeros(c, 2);
                c = Crc32c.update(c, raw, 0x84, raw.length - 0x84);
            } else {
                c = Crc32c.update(c, raw, 128, raw.length - 128);
            }
        }
        return c;
    }

    public void seal(int fsSeed, long ino) {
        int c = computeChecksum(fsSeed, ino);
        Le.put16(raw, 0x7C, c);
        if (hasExtra(0x84)) {
            Le.put16(raw, 0x82, c >>> 16);
        }
    }

    public boolean checksumOk(int fsSeed, long ino) {
        int c = computeChecksum(fsSeed, ino);
        int stored = Le.u16(raw, 0x7C) | (hasExtra(0x84) ? Le.u16(raw, 0x82) << 16 : 0);
        return hasExtra(0x84) ? stored == c : stored == (c & 0xFFFF);
    }

    /** ei->i_csum_seed: the seed of the inode's extent and directory block checksums. */
    public static int inodeSeed(int fsSeed, long ino, long generation) {
        return Crc32c.updateLe32(Crc32c.updateLe32(fsSeed, ino), generation);
    }
}
