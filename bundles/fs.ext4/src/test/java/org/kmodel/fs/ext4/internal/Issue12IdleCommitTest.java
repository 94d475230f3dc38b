package org.kmodel.fs.ext4.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
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
 * Issue 12 item 7: a change nobody syncs must still become durable: after {@code vm.dirty_expire} its pages
 * are written back and within {@code commit=} seconds the filesystem commits, while idle. Every write of the
 * ext4 root and the xfs /data mount goes through a dm-log-writes style recorder; the test waits, without a
 * single sync, fsync or umount, until the image a power cut would leave holds the new files (a file with
 * data, an empty file, a directory) on both filesystems. Before the fix nothing reached the disk until the
 * next fsync, sync or umount, so the loop ran into its limit and the test failed.
 */
class Issue12IdleCommitTest {
    private static final byte[] DATA = "written, never synced\n".getBytes(StandardCharsets.US_ASCII);

    /** What the disk would hold after a power cut now: null unless both files and the directory are there. */
    private static String missingAfterPowerCut(WriteRecorder rec, String type) {
        BlockDevice crashed = rec.replay(rec.log().size());
        DiskSuperBlock sb = DiskSuperBlock.mount(crashed, type, KernelRelease.V6_18, 0, "");
        Inode root = sb.root();
        Inode f = root.lookup("unsynced");
        if (f == null || root.lookup("empty") == null || root.lookup("dir") == null) {
            return type + ": names not committed";
        }
        byte[] page = new byte[DiskInode.PAGE_SIZE];
        f.readPage(0, page);
        return Arrays.equals(Arrays.copyOf(page, DATA.length), DATA)
                        && f.getattr().size() == DATA.length
                ? null
                : type + ": data not written back";
    }

    @Test
    void unsyncedChangesReachTheDiskWithinCommitSecondsWhileIdle(@TempDir Path state) throws Exception {
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
        try (AutoCloseable flusher = TestVfs.startFlusher(vfs, 100, 300)) {
            for (String dir : new String[] {"", "/data"}) {
                OpenFile f = vfs.open(dir + "/unsynced", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644);
                f.pwrite(0, DATA, 0, DATA.length);
                f.close();
                vfs.open(dir + "/empty", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644)
                        .close();
                vfs.mkdir(dir + "/dir", 0755);
            }
            String missing = "not checked";
            // commit=1 plus the 0.3 s expire and a 0.1 s tick: a handful of seconds even on a loaded machine
            for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; ) {
                missing = missingAfterPowerCut(ext4, "ext4");
                if (missing == null) {
                    missing = missingAfterPowerCut(xfs, "xfs");
                }
                if (missing == null) {
                    break;
                }
                Thread.sleep(200);
            }
            assertNull(missing, "idle commit never happened");
        }
        assertTrue(ext4.log().size() > 0 && xfs.log().size() > 0);
        vfs.umount("/data");
        vfs.umount("/");
    }
}
