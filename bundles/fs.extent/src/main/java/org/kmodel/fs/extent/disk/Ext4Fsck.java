package org.kmodel.fs.extent.disk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ObjIntConsumer;
import org.kmodel.block.BlockDevice;
import org.kmodel.fs.FsckResult;
import org.kmodel.fs.extent.ext4.Crc32c;
import org.kmodel.fs.extent.ext4.Ext4Inode;
import org.kmodel.fs.extent.ext4.Ext4Super;
import org.kmodel.fs.extent.ext4.GroupDescs;
import org.kmodel.fs.extent.ext4.Le;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;

/**
 * fsck of a real ext4 image. The check ({@code -n}) mounts the image's metadata as the kernel would (superblock
 * and descriptor checksums and geometry, journal replay, bitmaps, every inode's checksum and extent tree,
 * directory blocks, the orphan list) over a copy-on-write view of the device, so nothing reaches the image
 * (journal replay and orphan cleanup write only to the view, as e2fsck -n skips journal recovery); then two of
 * e2fsck's passes in the small: directory entries naming inodes that exist (e2fsck/pass2.c) and the link counts
 * of non-directories (e2fsck/pass4.c).
 * <p>
 * The repair ({@code fsck} without -n, e2fsck -p/-y) fixes what that check finds, in e2fsck's order:
 * <ol>
 * <li>a superblock whose checksum or geometry is bad is replaced by the first valid backup (group 1's, found at
 * the default places e2fsck tries: 8193 for 1 KiB blocks, 8 × block size bits later otherwise), or, if only
 * the checksum is wrong and the geometry holds, resealed (e2fsck/super.c check_super_block, "Superblock
 * checksum does not match superblock");</li>
 * <li>a group descriptor whose checksum is wrong is resealed if its bitmaps and inode table lie where
 * ext4_check_descriptors wants them, else taken from the backup descriptor table ("One or more block group
 * descriptor checksums are invalid");</li>
 * <li>an inode whose checksum alone is wrong is resealed ("inode passes checks, but checksum does not match");</li>
 * <li>the journal is replayed and the orphan list processed (a mount does both: e2fsck's journal recovery and
 * release_orphan_inodes);</li>
 * <li>link counts of non-directories are set to the entries that name them (pass 4);</li>
 * <li>every group's bitmaps, free counts and checksums, and the superblock's free counts, are written anew from
 * the bitmaps as loaded (pass 5's "Free blocks count wrong"), and the image is left unmounted cleanly (journal
 * checkpointed, needs_recovery cleared).</li>
 * </ol>
 * All of it happens on a copy-on-write view; only when the view then checks clean are its blocks written to the
 * image, so a repair that cannot finish changes nothing. What this repair does not do (a directory entry naming a
 * free inode, a damaged extent tree or directory block, a superblock without a valid backup) is refused: status 4
 * and a line naming e2fsck -fy.
 */
final class Ext4Fsck {
    private Ext4Fsck() {}

    static FsckResult check(BlockDevice device, boolean repair) {
        List<String> problems = problems(device);
        if (problems.isEmpty() && !(repair && pendingRecovery(device))) {
            return new FsckResult("ext4", problems, false, FsckResult.CLEAN);
        }
        if (!repair) {
            return new FsckResult("ext4", problems, false, FsckResult.UNCORRECTED);
        }
        Overlay view = new Overlay(device);
        List<String> fixed = new ArrayList<>();
        String refused;
        try {
            refused = repair(view, fixed);
        } catch (KernelException e) {
            refused = e.what() + " (" + e.errno().name() + ")";
        } catch (RuntimeException e) {
            refused = "inconsistent metadata (" + e + ")";
        }
        if (refused == null) {
            List<String> left = problems(view);
            if (left.isEmpty()) {
                view.applyTo(device);
                List<String> all = new ArrayList<>(problems);
                all.addAll(fixed);
                return new FsckResult("ext4", all, true, FsckResult.CORRECTED);
            }
            refused = left.get(0);
        }
        List<String> all = new ArrayList<>(problems);
        all.add("cannot repair: " + refused + ": run e2fsck -fy on it");
        return new FsckResult("ext4", all, false, FsckResult.UNCORRECTED);
    }

    /** needs_recovery or an orphan list: -n leaves them (e2fsck -n skips recovery), a repair replays them. */
    private static boolean pendingRecovery(BlockDevice device) {
        Ext4Super sb = readSuper(device, 1024);
        return (sb.incompat() & Ext4Super.INCOMPAT_RECOVER) != 0 || sb.lastOrphan() != 0;
    }

    /** The read-only check: what the mount refuses or the two passes find; empty if clean. */
    private static List<String> problems(BlockDevice device) {
        List<String> problems = new ArrayList<>();
        DiskSuperBlock fs = null;
        try {
            fs = Ext4Store.mount(new Overlay(device), KernelRelease.DEFAULT, 0, "");
        } catch (KernelException e) {
            problems.add(
                    "cannot load the metadata: " + e.what() + " (" + e.errno().name() + ")");
        } catch (RuntimeException e) {
            // a crafted image the loader did not name: still damage, never a Java exception
            problems.add("cannot load the metadata: inconsistent (" + e + ")");
        }
        if (fs != null) {
            passes(fs.inodeMap(), fs.profile().rootIno(), problems);
            if (problems.isEmpty()) {
                counts(device, problems);
            }
        }
        return problems;
    }

    /**
     * Pass 5 on what the image says (the mount does not look): each group's free counts and bitmap checksums
     * against its bitmaps, the superblock's totals against the groups. Only on an image that is not waiting for
     * journal recovery (the journal may hold newer bitmaps).
     */
    private static void counts(BlockDevice device, List<String> problems) {
        Ext4Super sb = readSuper(device, 1024);
        if ((sb.incompat() & Ext4Super.INCOMPAT_RECOVER) != 0 || !superOk(sb, device)) {
            return; // the mount got a valid superblock from the journal: the image on its own is not what it uses
        }
        int bs = sb.blockSize();
        GroupDescs gd = readDescs(device, sb, sb.gdtStart());
        long cpg = sb.clustersPerGroup();
        for (long g = 0; g < sb.groupCount(); g++) {
            if ((gd.flags(g) & (GroupDescs.BG_BLOCK_UNINIT | GroupDescs.BG_INODE_UNINIT)) != 0
                    || !locationsOk(sb, gd, g)) {
                continue;
            }
            byte[] bbm = block(device, gd.blockBitmap(g), bs);
            byte[] ibm = block(device, gd.inodeBitmap(g), bs);
            long usedC = 0;
            for (int k = 0; k < cpg / 8; k++) {
                usedC += Integer.bitCount(bbm[k] & 0xFF);
            }
            long usedI = 0;
            for (int k = 0; k < sb.inodesPerGroup() / 8; k++) {
                usedI += Integer.bitCount(ibm[k] & 0xFF);
            }
            if (gd.freeClusters(g) != cpg - usedC) {
                problems.add("Free blocks count wrong for group #" + g + " (" + gd.freeClusters(g) + ", counted="
                        + (cpg - usedC) + ")");
            }
            if (gd.freeInodes(g) != sb.inodesPerGroup() - usedI) {
                problems.add("Free inodes count wrong for group #" + g + " (" + gd.freeInodes(g) + ", counted="
                        + (sb.inodesPerGroup() - usedI) + ")");
            }
            if (sb.metadataCsum()) {
                GroupDescs probe = new GroupDescs(sb, gd.table().clone());
                probe.bitmapChecksums(
                        g,
                        Crc32c.update(sb.csumSeed(), bbm, 0, (int) (cpg / 8)),
                        Crc32c.update(sb.csumSeed(), ibm, 0, (int) (sb.inodesPerGroup() / 8)));
                probe.seal(g);
                if (!java.util.Arrays.equals(probe.table(), gd.table())) {
                    problems.add("group " + g + " block or inode bitmap checksum does not match bitmap");
                }
            }
        }
        // The superblock's totals are not compared: the kernel keeps them lazily and recounts them from the groups
        // at mount (ext4_fill_super), and e2fsck corrects them without a message in preen mode; a repair writes them.
    }

    /** The repair on {@code view}; null when done, else why it cannot go on. */
    private static String repair(BlockDevice view, List<String> fixed) {
        Ext4Super sb = readSuper(view, 1024);
        if (!superOk(sb, view)) {
            Ext4Super backup = backup(view);
            if (backup != null) {
                Le.put16(backup.raw(), 0x5A, 0); // s_block_group_nr: now the primary
                sb = backup;
                fixed.add("superblock replaced by the backup of group 1");
            } else if (geometryOk(sb, view)) {
                fixed.add("superblock checksum resealed");
            } else {
                return "the superblock is invalid and no backup superblock is valid";
            }
            writeSuper(view, sb);
        }
        GroupDescs gd = readDescs(view, sb, sb.gdtStart());
        GroupDescs backupGd = null;
        boolean gdtChanged = false;
        for (long g = 0; g < sb.groupCount(); g++) {
            if (sb.metadataCsum() && gd.checksumOk(g) && locationsOk(sb, gd, g)) {
                continue;
            }
            if (!sb.metadataCsum() && locationsOk(sb, gd, g)) {
                continue;
            }
            if (locationsOk(sb, gd, g)) {
                gd.seal(g);
                fixed.add("group descriptor " + g + " checksum resealed");
            } else {
                if (backupGd == null && sb.groupCount() > 1) {
                    backupGd = readDescs(view, sb, sb.superBlockOf(1) + 1);
                }
                if (backupGd == null || !locationsOk(sb, backupGd, g)) {
                    return "group descriptor " + g + " is invalid and so is its backup";
                }
                int ds = sb.descSize();
                System.arraycopy(backupGd.table(), (int) (g * ds), gd.table(), (int) (g * ds), ds);
                if (sb.metadataCsum()) {
                    gd.seal(g);
                }
                fixed.add("group descriptor " + g + " taken from the backup table");
            }
            gdtChanged = true;
        }
        if (gdtChanged) {
            view.write(sb.gdtStart() * sb.blockSize(), gd.table(), 0, gd.table().length, false);
        }
        if (sb.metadataCsum()) {
            resealInodes(view, sb, gd, fixed);
        }
        // the model's mount: journal replay, orphan list; then the passes, and every group written anew
        if ((sb.incompat() & Ext4Super.INCOMPAT_RECOVER) != 0) {
            fixed.add("journal recovered");
        }
        if (sb.lastOrphan() != 0) {
            fixed.add("orphan list processed (first inode " + sb.lastOrphan() + ")");
        }
        DiskSuperBlock fs = Ext4Store.mount(view, KernelRelease.DEFAULT, 0, "");
        Ext4Store st = (Ext4Store) fs.store();
        Map<Long, InodeData> inodes = fs.inodeMap();
        List<String> dangling = new ArrayList<>();
        Map<Long, Integer> refs = linkCounts(inodes, dangling);
        if (!dangling.isEmpty()) {
            return dangling.get(0);
        }
        linkMismatches(inodes, fs.profile().rootIno(), refs, (i, want) -> {
            if (want > 0) {
                fixed.add("inode " + i.ino + " ref count was " + i.nlink + ", set to " + want);
                i.nlink = want;
                st.dirty(i.ino);
            }
        });
        Ext4Writer w = new Ext4Writer(st, fs);
        for (int g = 0; g < sb.groupCount(); g++) {
            w.group(g);
        }
        int bs = st.bs;
        for (int k = 0; k < st.gd.table().length / bs; k++) {
            st.cacheAndLog(st.sb.gdtStart() + k, java.util.Arrays.copyOfRange(st.gd.table(), k * bs, (k + 1) * bs));
        }
        st.commit(); // the store's own commit: the filesystem's skips a clean mount
        long free = 0;
        long freeInodes = 0;
        for (long g = 0; g < st.sb.groupCount(); g++) {
            free += st.gd.freeClusters(g);
            freeInodes += st.gd.freeInodes(g);
        }
        st.sb.freeBlocks(free * st.cpc); // the totals e2fsck's pass 5 writes: the sums over the groups
        st.sb.freeInodes(freeInodes);
        st.finish(); // umount: the journal checkpointed, needs_recovery cleared, the superblock written
        return null;
    }

    /** ext4_inode_csum_verify failed while the inode's fields are sane: e2fsck reseals it. */
    private static void resealInodes(BlockDevice dev, Ext4Super sb, GroupDescs gd, List<String> fixed) {
        int bs = sb.blockSize();
        int isz = sb.inodeSize();
        long ipg = sb.inodesPerGroup();
        for (long g = 0; g < sb.groupCount(); g++) {
            if ((gd.flags(g) & GroupDescs.BG_INODE_UNINIT) != 0) {
                continue;
            }
            byte[] ibm = block(dev, gd.inodeBitmap(g), bs);
            for (long k = 0; k < ipg; k++) {
                if ((ibm[(int) (k >>> 3)] & (1 << (k & 7))) == 0) {
                    continue;
                }
                long ino = g * ipg + k + 1;
                long blk = gd.inodeTable(g) + k * isz / bs;
                int off = (int) (k * isz % bs);
                byte[] b = block(dev, blk, bs);
                Ext4Inode in = new Ext4Inode(java.util.Arrays.copyOfRange(b, off, off + isz));
                if ((in.mode() == 0 && in.links() == 0) || in.checksumOk(sb.csumSeed(), ino)) {
                    continue;
                }
                in.seal(sb.csumSeed(), ino);
                System.arraycopy(in.raw(), 0, b, off, isz);
                dev.write(blk * bs, b, 0, bs, false);
                fixed.add("inode " + ino + " checksum resealed");
            }
        }
    }

    private static boolean superOk(Ext4Super sb, BlockDevice dev) {
        return sb.checksumOk() && geometryOk(sb, dev);
    }

    private static boolean geometryOk(Ext4Super sb, BlockDevice dev) {
        try {
            sb.checkFeatures(dev.name());
            Ext4MountCheck.geometry(sb, dev.name(), dev.size());
            return sb.groupCount() < Integer.MAX_VALUE / 64;
        } catch (KernelException e) {
            return false;
        }
    }

    /**
     * An ext4 image for fsck: the primary superblock's magic, or, when the primary is damaged past its magic and the
     * image is not in kmodel's own format, a valid backup superblock where e2fsck looks for one (e2fsck/unix.c:
     * "Superblock invalid, trying backup blocks"). The mount has no such fallback: ext4_fill_super reads the
     * primary only ("VFS: Can't find ext4 filesystem").
     */
    static boolean isExt4Image(BlockDevice dev) {
        if (Ext4Store.isExt4(dev)) {
            return true;
        }
        return !MountReader.hasKmodelMagic(dev) && backup(dev) != null;
    }

    /** The first valid backup superblock where e2fsck looks for one (group 1 of each block size). */
    private static Ext4Super backup(BlockDevice dev) {
        for (int bs = 1024; bs <= 65536; bs <<= 1) {
            long block = 8L * bs + (bs == 1024 ? 1 : 0);
            if ((block + 1) * bs > dev.size()) {
                break;
            }
            Ext4Super b = readSuper(dev, block * bs);
            if (b.magic() == Ext4Super.MAGIC && b.blockSize() == bs && superOk(b, dev)) {
                return b;
            }
        }
        return null;
    }

    private static boolean locationsOk(Ext4Super sb, GroupDescs gd, long g) {
        try {
            Ext4MountCheck.descriptor(sb, gd, g, "fsck");
            return true;
        } catch (KernelException e) {
            return false;
        }
    }

    private static Ext4Super readSuper(BlockDevice dev, long offset) {
        byte[] raw = new byte[Ext4Super.SIZE];
        dev.read(offset, raw, 0, raw.length);
        return new Ext4Super(raw);
    }

    private static void writeSuper(BlockDevice dev, Ext4Super sb) {
        dev.write(Ext4Super.OFFSET, sb.encode(), 0, Ext4Super.SIZE, false);
    }

    private static GroupDescs readDescs(BlockDevice dev, Ext4Super sb, long startBlock) {
        byte[] table = new byte[(int) (sb.gdtBlocks() * sb.blockSize())];
        dev.read(startBlock * sb.blockSize(), table, 0, table.length);
        return new GroupDescs(sb, table);
    }

    private static byte[] block(BlockDevice dev, long b, int bs) {
        byte[] x = new byte[bs];
        dev.read(b * bs, x, 0, bs);
        return x;
    }

    /** e2fsck passes 2 and 4 for the check: every dangling entry, then every wrong link count. */
    private static void passes(Map<Long, InodeData> inodes, long root, List<String> problems) {
        Map<Long, Integer> refs = linkCounts(inodes, problems);
        linkMismatches(
                inodes,
                root,
                refs,
                (i, want) -> problems.add("inode " + i.ino + " ref count is " + i.nlink + ", should be " + want));
    }

    /**
     * e2fsck pass 2 (e2fsck/pass2.c {@code check_dir_block}): how many directory entries (other than "." and "..")
     * name each inode; an entry naming an inode that is not in use is added to {@code dangling} in e2fsck's words
     * and not counted. Directories in inode order, as e2fsck walks them.
     */
    private static Map<Long, Integer> linkCounts(Map<Long, InodeData> inodes, List<String> dangling) {
        Map<Long, Integer> refs = new HashMap<>();
        for (InodeData d : new TreeMap<>(inodes).values()) {
            if (!d.isDir() || d.entries == null) {
                continue;
            }
            for (Map.Entry<String, Long> e : d.entries.entrySet()) {
                if (e.getKey().equals(".") || e.getKey().equals("..")) {
                    continue;
                }
                if (!inodes.containsKey(e.getValue())) {
                    dangling.add("entry '" + e.getKey() + "' in directory inode " + d.ino + " has deleted/unused inode "
                            + e.getValue());
                    continue;
                }
                refs.merge(e.getValue(), 1, Integer::sum);
            }
        }
        return refs;
    }

    /**
     * e2fsck pass 4 (e2fsck/pass4.c {@code e2fsck_pass4}): each inode, in inode order, that is neither a directory
     * nor {@code root} and whose link count is not the number of entries naming it ({@code refs}), with that number.
     */
    private static void linkMismatches(
            Map<Long, InodeData> inodes, long root, Map<Long, Integer> refs, ObjIntConsumer<InodeData> mismatch) {
        for (InodeData i : new TreeMap<>(inodes).values()) {
            if (i.isDir() || i.ino == root) {
                continue;
            }
            int want = refs.getOrDefault(i.ino, 0);
            if (i.nlink != want) {
                mismatch.accept(i, want);
            }
        }
    }

    /** Reads fall through to the image; writes stay in memory (a block-granular copy-on-write view). */
    static final class Overlay implements BlockDevice {
        private static final int CHUNK = 512;
        private final BlockDevice dev;
        private final Map<Long, byte[]> written = new HashMap<>();

        Overlay(BlockDevice dev) {
            this.dev = dev;
        }

        @Override
        public String name() {
            return dev.name();
        }

        @Override
        public int logicalBlockSize() {
            return dev.logicalBlockSize();
        }

        @Override
        public long size() {
            return dev.size();
        }

        @Override
        public void read(long offset, byte[] buf, int off, int len) {
            dev.read(offset, buf, off, len);
            if (written.isEmpty()) {
                return;
            }
            for (long c = offset / CHUNK; c * CHUNK < offset + len; c++) {
                byte[] w = written.get(c);
                if (w != null) {
                    long from = Math.max(offset, c * CHUNK);
                    long to = Math.min(offset + len, (c + 1) * CHUNK);
                    System.arraycopy(w, (int) (from - c * CHUNK), buf, off + (int) (from - offset), (int) (to - from));
                }
            }
        }

        @Override
        public void write(long offset, byte[] buf, int off, int len, boolean fua) {
            if (offset < 0 || len < 0 || offset + len > dev.size()) {
                throw new KernelException(Errno.EIO, dev.name() + ": write beyond the end of the device");
            }
            for (long c = offset / CHUNK; c * CHUNK < offset + len; c++) {
                byte[] w = written.get(c);
                if (w == null) {
                    w = new byte[CHUNK];
                    dev.read(c * CHUNK, w, 0, (int) Math.min(CHUNK, dev.size() - c * CHUNK));
                    written.put(c, w);
                }
                long from = Math.max(offset, c * CHUNK);
                long to = Math.min(offset + len, (c + 1) * CHUNK);
                System.arraycopy(buf, off + (int) (from - offset), w, (int) (from - c * CHUNK), (int) (to - from));
            }
        }

        @Override
        public void flush() {
            // nothing reaches the image
        }

        /** Writes what this view changed to the device below (the repair, once it checked clean). */
        void applyTo(BlockDevice target) {
            for (Map.Entry<Long, byte[]> e : new TreeMap<>(written).entrySet()) {
                long at = e.getKey() * CHUNK;
                target.write(at, e.getValue(), 0, (int) Math.min(CHUNK, dev.size() - at), false);
            }
            target.flush();
        }

        @Override
        public boolean isClosed() {
            return dev.isClosed();
        }

        @Override
        public void close() {
            // the image's device is the caller's
        }
    }
}
