package org.kmodel.fs.hostfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.Inode;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;

class HostFsTypeTest {
    @BeforeAll
    static void needsLinuxLibc() {
        try {
            Libc.get();
        } catch (Throwable t) {
            Assumptions.abort("no host libc via JNA: " + t);
        }
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "hostfs needs Linux");
    }

    static MountContext ctx(String source) {
        return new MountContext() {
            public String source() {
                return source;
            }

            public String options() {
                return "";
            }

            public Map<String, String> optionMap() {
                return Map.of();
            }

            public boolean readOnly() {
                return false;
            }

            public KernelRelease release() {
                return KernelRelease.V6_18;
            }

            public long deviceNumber() {
                return 7;
            }
        };
    }

    private static Inode sixteenPages(SuperBlock sb) {
        Inode f = sb.root().create("f", 0100644, 0);
        byte[] page = new byte[4096];
        for (int p = 0; p < 16; p++) {
            java.util.Arrays.fill(page, (byte) (p + 1));
            f.writePage(p, page, 4096);
        }
        f.extendSize(65536);
        return f;
    }

    @Test
    void collapseGoesToTheHostFilesystem(@TempDir Path dir) throws Exception {
        SuperBlock sb = new HostFsType().mount(ctx(dir.toString()));
        Inode f = sixteenPages(sb);
        f.fallocate(new FallocateRequest(FallocateMode.COLLAPSE_RANGE, 4096, 4096, 65536, Long.MAX_VALUE));
        f.fsync();
        assertEquals(61440, Files.size(dir.resolve("f")));
        assertEquals(3, Files.readAllBytes(dir.resolve("f"))[4096], "page 2 moved to page 1 on the host");
        assertEquals(61440, f.getattr().size());
        f.fallocate(new FallocateRequest(FallocateMode.KEEP_SIZE, 61440, 65536, 61440, Long.MAX_VALUE));
        assertTrue(f.mapExtents(0, Long.MAX_VALUE).stream().anyMatch(FiemapExtent::unwritten), "host FIEMAP flags");
        KernelException e = assertThrows(
                KernelException.class,
                () -> f.fallocate(
                        new FallocateRequest(FallocateMode.COLLAPSE_RANGE, 1000, 4096, 61440, Long.MAX_VALUE)));
        assertEquals(Errno.EINVAL, e.errno());
        Inode d = sb.root().create("d", 0040755, 0);
        sb.root().rename("f", d, "g");
        assertEquals(61440, d.lookup("g").getattr().size());
        assertEquals(1, d.readdir().size());
        sb.kill();
    }

    @Test
    void tmpfsHostRefusesCollapse() throws Exception {
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm here");
        Path dir = Files.createTempDirectory(shm, "hostfs");
        try {
            SuperBlock sb = new HostFsType().mount(ctx(dir.toString()));
            Inode f = sixteenPages(sb);
            assertEquals(
                    Errno.EOPNOTSUPP,
                    assertThrows(
                                    KernelException.class,
                                    () -> f.fallocate(new FallocateRequest(
                                            FallocateMode.COLLAPSE_RANGE, 4096, 4096, 65536, Long.MAX_VALUE)))
                            .errno());
            sb.root().unlink("f");
            sb.kill();
        } finally {
            Files.deleteIfExists(dir.resolve("f"));
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void missingSourceIsEnoent() {
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> new HostFsType().mount(ctx("/nonexistent/kmodel")))
                        .errno());
    }
}
