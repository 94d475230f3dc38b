package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.Inode;

class Ext4FormatTest {
    @TempDir
    Path dir;

    @Test
    void freshMkfsPassesE2fsck() throws Exception {
        assumeTrue(HostE2fs.available(), "e2fsprogs not installed");
        for (int[] geo : new int[][] {{4096, 4096}, {1024, 1024}, {4096, 65536}}) {
            Path img = dir.resolve("fresh-" + geo[0] + "-" + geo[1] + ".img");
            try (BlockDevice dev = TestBlockDevices.image(img, 64L << 20)) {
                DiskSuperBlock.mkfs(dev, FsProfile.ext4(geo[0], geo[1]));
            }
            HostE2fs.Result r = HostE2fs.fsck(img);
            assertEquals(0, r.rc(), r.out());
            try (BlockDevice dev = TestBlockDevices.image(img, 0)) {
                DiskSuperBlock sb = DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, "");
                Inode f = sb.root().create("hello", 0100644, 0);
                ModelProbe.writePattern(f, 0, 100_000);
                sb.root().symlink("fast", "hello");
                sb.root().symlink("slow", "x".repeat(200));
                Inode d = sb.root().create("sub", 0040755, 0);
                for (int k = 0; k < 300; k++) {
                    d.create("file-with-a-long-name-" + k, 0100644, 0);
                }
                for (int k = 0; k < 300; k += 3) {
                    d.unlink("file-with-a-long-name-" + k);
                }
                Inode frag = sb.root().create("frag", 0100644, 0);
                for (int k = 0; k < 40; k++) {
                    ModelProbe.writePattern(frag, k * 8192L, k * 8192L + 4096);
                }
                sb.kill();
            }
            r = HostE2fs.fsck(img);
            assertEquals(0, r.rc(), r.out());
        }
    }

    /** ext4_feature_set_ok: an incompat feature the kernel does not know refuses the mount, EINVAL. */
    @Test
    void unknownIncompatFeatureIsRefusedWithTheKernelsMessage() {
        BlockDevice dev = TestBlockDevices.memory("ram", 32L << 20, 512);
        DiskSuperBlock.mkfs(dev, FsProfile.ext4(4096, 4096));
        byte[] raw = new byte[1024];
        dev.read(1024, raw, 0, 1024);
        org.kmodel.fs.extent.ext4.Ext4Super s = new org.kmodel.fs.extent.ext4.Ext4Super(raw);
        s.incompat(s.incompat() | 0x10000000);
        dev.write(1024, s.encode(), 0, 1024, false);
        org.kmodel.kernel.KernelException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.kmodel.kernel.KernelException.class,
                () -> DiskSuperBlock.mount(dev, "ext4", KernelRelease.V6_18, 0, ""));
        assertEquals(org.kmodel.kernel.Errno.EINVAL, e.errno());
        assertEquals("EXT4-fs (ram): Couldn't mount because of unsupported optional features (10000000)", e.what());
    }
}
