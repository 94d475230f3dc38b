package org.kmodel.fs.ext4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.MkfsResult;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;

class Ext4FsTypeTest {
    private final Ext4FsType ext4 = new Ext4FsType(TestBlockDevices.factory());

    private static MountContext ctx(Path image) {
        return ctx(image.toString(), Map.of());
    }

    private static MountContext ctx(String source, Map<String, String> opts) {
        return new MountContext() {
            public String source() {
                return source;
            }

            public String options() {
                return String.join(",", opts.keySet());
            }

            public Map<String, String> optionMap() {
                return new LinkedHashMap<>(opts);
            }

            public boolean readOnly() {
                return false;
            }

            public KernelRelease release() {
                return KernelRelease.V3_15;
            }

            public long deviceNumber() {
                return 1;
            }
        };
    }

    @Test
    void mkfsMountWriteUmountRestartRemount(@TempDir Path dir) throws Exception {
        Path img = dir.resolve("root.img");
        MkfsResult r = ext4.mkfs(img, 64L << 20, Map.of("blocksize", "1024"));
        assertEquals(65536, r.blocks());
        assertTrue(Files.size(img) == 64L << 20);
        SuperBlock sb = ext4.mount(ctx(img));
        assertTrue(sb.root().lookup("lost+found") != null, "mke2fs makes lost+found");
        Inode f = sb.root().create("video", 0100644, 0);
        byte[] page = new byte[4096];
        for (int p = 0; p < 16; p++) {
            java.util.Arrays.fill(page, (byte) (p + 1));
            f.writePage(p, page, 4096);
        }
        f.fallocate(new FallocateRequest(FallocateMode.COLLAPSE_RANGE, 4096, 4096, 65536, Long.MAX_VALUE));
        sb.kill();
        SuperBlock again = new Ext4FsType(TestBlockDevices.factory()).mount(ctx(img)); // a new kmodel process
        assertEquals(
                Errno.EBUSY,
                assertThrows(KernelException.class, () -> ext4.mount(ctx(img))).errno());
        assertEquals(
                Errno.EBUSY,
                assertThrows(KernelException.class, () -> ext4.mkfs(img, 0, Map.of()))
                        .errno(),
                "mkfs on a mounted image");
        Inode g = again.root().lookup("video");
        assertEquals(61440, g.getattr().size());
        g.readPage(1, page);
        assertEquals(3, page[0], "page 2 moved to page 1");
        assertEquals(120, g.getattr().blocks());
        again.kill();
    }

    @Test
    void firstBootCreatesTheImageInTheStateDirectory(@TempDir Path dir) {
        String old = System.setProperty("kmodel.state", dir.toString());
        try {
            SuperBlock sb = ext4.mount(ctx("root.img", Map.of("x-mkfs", "64M")));
            sb.root().create("etc", 0040755, 0);
            sb.kill();
            assertTrue(Files.exists(dir.resolve("root.img")));
            SuperBlock again = ext4.mount(ctx("root.img", Map.of("x-mkfs", "64M")));
            assertTrue(again.root().lookup("etc") != null, "an existing image is never reformatted");
            again.kill();
        } finally {
            if (old == null) {
                System.clearProperty("kmodel.state");
            } else {
                System.setProperty("kmodel.state", old);
            }
        }
    }

    @Test
    void v315HasNoInsertRangeAndBadGeometryIsEinval(@TempDir Path dir) {
        assertTrue(!ext4.capabilities(KernelRelease.V3_15).supports(FallocateMode.INSERT_RANGE));
        assertTrue(ext4.capabilities(KernelRelease.V6_18).supports(FallocateMode.INSERT_RANGE));
        assertEquals(
                Errno.EINVAL,
                assertThrows(
                                KernelException.class,
                                () -> ext4.mkfs(dir.resolve("x.img"), 1 << 20, Map.of("blocksize", "3000")))
                        .errno());
        Path notOurs = dir.resolve("junk.img");
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> ext4.mount(ctx(notOurs)))
                        .errno());
    }
}
