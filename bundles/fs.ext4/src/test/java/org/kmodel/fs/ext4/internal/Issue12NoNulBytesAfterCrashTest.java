package org.kmodel.fs.ext4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.WriteRecorder;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.disk.DiskInode;
import org.kmodel.fs.extent.disk.DiskSuperBlock;
import org.kmodel.fs.xfs.testing.TestXfs;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 12: a file written without fsync, then a kill -9 after the next journal commit, came back with its new
 * size and NUL bytes for content: the commit logged the in-memory i_size while the data was still in the page
 * cache. The kernel logs the on-disk size instead (ext4's i_disksize, which ext4_da_write_end leaves alone for a
 * delayed page and writeback moves in mpage_map_and_submit_extent; xfs's di_size, moved at I/O completion by
 * xfs_setfilesize), so such a file is shorter after a crash, never a stretch of zeros.
 *
 * <p>Every write of the ext4 root and the xfs /data mount goes through a write recorder. Nothing writes a page
 * back (no flusher runs); after each step the test waits out {@code commit=1} and makes a directory, which commits
 * (the jbd2 commit timer), then cuts the power right there and reads the file as the next mount would.
 */
class Issue12NoNulBytesAfterCrashTest {
    private static final int LEN = 64 << 10;

    private static byte pattern(long o) {
        return (byte) (1 + o % 251);
    }

    /** The file "f" and the names present on the image a power cut would leave now, or null if not mountable. */
    private static Inode[] afterPowerCut(WriteRecorder rec, String type, String marker) {
        BlockDevice crashed = rec.replay(rec.log().size());
        DiskSuperBlock sb = DiskSuperBlock.mount(crashed, type, KernelRelease.V6_18, 0, "");
        Inode root = sb.root();
        return new Inode[] {root.lookup("f"), root.lookup(marker)};
    }

    /**
     * Waits out commit=1, then makes {@code marker} in both mounts: the operation finds the commit interval passed
     * and commits (DiskSuperBlock.touched, jbd2's commit timer); the marker on the cut image proves it.
     */
    private static void commitWith(Vfs vfs, WriteRecorder ext4, WriteRecorder xfs, String marker)
            throws InterruptedException {
        Thread.sleep(1_100);
        vfs.mkdir("/" + marker, 0755);
        vfs.mkdir("/data/" + marker, 0755);
        vfs.open("/" + marker + "/x", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644)
                .close();
        vfs.open("/data/" + marker + "/x", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644)
                .close();
        assertNotNull(afterPowerCut(ext4, "ext4", marker)[1], "ext4: the commit after " + marker);
        assertNotNull(afterPowerCut(xfs, "xfs", marker)[1], "xfs: the commit after " + marker);
    }

    /** Reads "f" on the crashed image: its size, and every byte of it must be what was written there or zero past LEN. */
    private static long checkFile(WriteRecorder rec, String type, String marker) {
        Inode f = afterPowerCut(rec, type, marker)[0];
        assertNotNull(f, type + ": f was committed");
        long size = f.getattr().size();
        byte[] page = new byte[DiskInode.PAGE_SIZE];
        long nul = 0;
        for (long p = 0; p * page.length < size; p++) {
            f.readPage(p, page);
            for (int k = 0; k < page.length && p * page.length + k < size; k++) {
                long o = p * page.length + k;
                byte want = o < LEN ? pattern(o) : 0;
                if (page[k] != want) {
                    nul++;
                }
            }
        }
        assertEquals(0, nul, type + ": bytes of f (size " + size + " after the crash) that are not what was written");
        return size;
    }

    @Test
    void aFileWrittenWithoutFsyncIsShorterAfterACrashNeverNulBytes(@TempDir Path state) throws Exception {
        BlockDeviceFactory plain = TestBlockDevices.factory();
        new Ext4FsType(plain).mkfs(state.resolve("root.img"), 64L << 20, Map.of());
        TestXfs.mkfs(plain).mkfs(state.resolve("data.img"), 64L << 20, Map.of());
        RecordingFactory devs = new RecordingFactory();
        Vfs vfs = TestVfs.boot(KernelRelease.V6_18, new Ext4FsType(devs), TestXfs.fsType(devs));
        vfs.mount(state.resolve("root.img").toString(), "/", "ext4", "commit=1");
        vfs.mkdir("/data", 0755);
        vfs.mount(state.resolve("data.img").toString(), "/data", "xfs", "commit=1");
        WriteRecorder ext4 = devs.recorders.get(0);
        WriteRecorder xfs = devs.recorders.get(1);
        byte[] buf = new byte[LEN];
        for (int k = 0; k < LEN; k++) {
            buf[k] = pattern(k);
        }
        OpenFile[] files = new OpenFile[2];
        String[] dirs = {"", "/data"};

        // 1. a buffered write that extends the file, then a commit: the data is still in the page cache
        for (int d = 0; d < 2; d++) {
            files[d] = vfs.open(dirs[d] + "/f", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
            assertEquals(LEN, files[d].pwrite(0, buf, 0, LEN));
        }
        commitWith(vfs, ext4, xfs, "m1");
        assertEquals(0, checkFile(ext4, "ext4", "m1"), "ext4: on-disk size with the data still in the page cache");
        assertEquals(0, checkFile(xfs, "xfs", "m1"), "xfs: on-disk size with the data still in the page cache");

        // 2. a truncate up over the data not written back: the size it logs may not cover it
        for (int d = 0; d < 2; d++) {
            files[d].ftruncate(1 << 20);
        }
        commitWith(vfs, ext4, xfs, "m2");
        assertEquals(0, checkFile(ext4, "ext4", "m2"));
        assertEquals(0, checkFile(xfs, "xfs", "m2"));

        // 3. fsync: the data, then the size, all of it
        for (int d = 0; d < 2; d++) {
            files[d].fsync();
        }
        assertEquals(1 << 20, checkFile(ext4, "ext4", "m2"));
        assertEquals(1 << 20, checkFile(xfs, "xfs", "m2"));

        // 4. a truncate down, then a write past the new EOF without fsync: the shrink is logged at once, the
        // growth waits for writeback
        for (int d = 0; d < 2; d++) {
            files[d].ftruncate(LEN / 2);
            assertEquals(LEN / 2, files[d].pwrite(LEN / 2, buf, LEN / 2, LEN / 2));
        }
        commitWith(vfs, ext4, xfs, "m3");
        assertEquals(LEN / 2, checkFile(ext4, "ext4", "m3"));
        assertEquals(LEN / 2, checkFile(xfs, "xfs", "m3"));
        for (OpenFile f : files) {
            f.close();
        }

        // 5. umount writes everything back: the whole file and its size, also on the image cut right after it
        vfs.umount("/data");
        vfs.umount("/");
        assertEquals(LEN, checkFile(ext4, "ext4", "m3"));
        assertEquals(LEN, checkFile(xfs, "xfs", "m3"));
    }
}
