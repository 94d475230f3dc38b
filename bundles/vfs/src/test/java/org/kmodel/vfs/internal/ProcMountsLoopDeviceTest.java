package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.spi.FsCapabilities;

/**
 * /proc/mounts shows the device a block filesystem is mounted from (fs/proc_namespace.c show_vfsmnt prints
 * the mount's device name): mounting an image file goes through a loop device, as mount(8) sets one up, so
 * the line says /dev/loopN, never the image's name. Filesystems without a device keep their source.
 */
class ProcMountsLoopDeviceTest {
    /** A MemFs that needs a block device (FS_REQUIRES_DEV), as ext4 and xfs do. */
    static final class BlockMemFs extends MemFs {
        BlockMemFs() {
            super("blockfs");
        }

        @Override
        public FsCapabilities capabilities(KernelRelease release) {
            return caps().toBuilder().requiresDevice(true).build();
        }
    }

    @Test
    void imageMountsShowTheLowestFreeLoopDevice() {
        Fixture fx = new Fixture();
        fx.vfs.registerFilesystem(new BlockMemFs(), 0, 2);
        fx.vfs.mkdir("/a", 0755);
        fx.vfs.mkdir("/b", 0755);
        fx.vfs.mkdir("/c", 0755);
        fx.vfs.mount("/tmp/one.img", "/a", "blockfs", "");
        fx.vfs.mount("two.img", "/b", "blockfs", "");
        fx.vfs.mount("/dev/sdb1", "/c", "blockfs", "");
        assertEquals(
                List.of("none / memfs", "/dev/loop0 /a blockfs", "/dev/loop1 /b blockfs", "/dev/sdb1 /c blockfs"),
                lines(fx));
        fx.vfs.umount("/a");
        fx.vfs.mount("/tmp/three.img", "/a", "blockfs", "");
        assertEquals("/dev/loop0 /a blockfs", lines(fx).get(3), "a detached loop device is reused");
    }

    private static List<String> lines(Fixture fx) {
        return fx.vfs.mounts().stream()
                .map(MountInfo::procLine)
                .map(l -> l.substring(0, l.indexOf(" ", l.indexOf(" ", l.indexOf(" ") + 1) + 1)))
                .toList();
    }
}
