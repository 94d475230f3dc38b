package org.kmodel.fs.extent.disk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.kmodel.block.BlockDevice;
import org.kmodel.fs.FsckResult;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;

/**
 * fsck of a real ext4 image, read-only: the image's metadata is mounted as the kernel would mount it (superblock
 * and descriptor checksums, journal replay, bitmaps, every inode's checksum and extent tree, directory blocks)
 * over a copy-on-write view of the device, so nothing reaches the image (journal replay and orphan cleanup write
 * only to the view, as e2fsck -n skips journal recovery on a read-only check). Then two of e2fsck's passes in the
 * small: directory entries naming inodes that exist (e2fsck/pass2.c) and the link counts of non-directories
 * (e2fsck/pass4.c). Repair is e2fsck's job: kmodel does not rewrite real ext4 metadata outside the
 * mount's own journalled commit, so a repair of a damaged image is refused (EOPNOTSUPP, naming e2fsck).
 */
final class Ext4Fsck {
    private Ext4Fsck() {
    }

    static FsckResult check(BlockDevice device, boolean repair) {
        List<String> problems = new ArrayList<>();
        DiskSuperBlock fs = null;
        try {
            fs = Ext4Store.mount(new Overlay(device), KernelRelease.DEFAULT, 0, "");
        } catch (KernelException e) {
            problems.add("cannot load the metadata: " + e.what() + " (" + e.errno().name() + ")");
        } catch (RuntimeException e) {
            // a crafted image the loader did not name: still damage, never a Java exception
            problems.add("cannot load the metadata: inconsistent (" + e + ")");
        }
        if (fs != null) {
            passes(fs.inodeMap(), fs.profile().rootIno(), problems);
        }
        if (!problems.isEmpty() && repair) {
            throw new KernelException(Errno.EOPNOTSUPP, device.name() + ": " + problems.get(0)
                    + ": kmodel does not repair real ext4 images; run e2fsck -fy on it");
        }
        return new FsckResult("ext4", problems, false, problems.isEmpty() ? FsckResult.CLEAN : FsckResult.UNCORRECTED);
    }

    private static void passes(Map<Long, InodeData> inodes, long root, List<String> problems) {
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
                    problems.add("entry '" + e.getKey() + "' in directory inode " + d.ino + " has deleted/unused inode "
                            + e.getValue());
                    continue;
                }
                refs.merge(e.getValue(), 1, Integer::sum);
            }
        }
        for (InodeData i : new TreeMap<>(inodes).values()) {
            if (i.isDir() || i.ino == root) {
                continue;
            }
            int want = refs.getOrDefault(i.ino, 0);
            if (i.nlink != want) {
                problems.add("inode " + i.ino + " ref count is " + i.nlink + ", should be " + want);
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
