package org.kmodel.fs.xfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.MkfsResult;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.FallocateMode;

class XfsFsTypeTest {
    private final XfsFsType xfs = new XfsFsType(TestBlockDevices.factory());

    @Test
    void blockSizesFrom512BytesTo64KiB(@TempDir Path dir) {
        for (int bs = 512; bs <= 65536; bs <<= 1) {
            MkfsResult r = xfs.mkfs(dir.resolve("x" + bs + ".img"), 64L << 20, Map.of("blocksize", String.valueOf(bs)));
            assertEquals(bs, r.blockSize());
            assertEquals((64L << 20) / bs, r.blocks());
        }
        for (String bad : new String[] {"256", "131072", "3000"}) {
            assertEquals(
                    Errno.EINVAL,
                    assertThrows(
                                    KernelException.class,
                                    () -> xfs.mkfs(dir.resolve("bad.img"), 64L << 20, Map.of("blocksize", bad)))
                            .errno());
        }
        assertEquals(
                Errno.EINVAL,
                assertThrows(
                                KernelException.class,
                                () -> xfs.mkfs(dir.resolve("bad.img"), 64L << 20, Map.of("cluster", "65536")))
                        .errno());
    }

    @Test
    void capabilitiesFollowTheRelease() {
        assertTrue(xfs.capabilities(KernelRelease.V6_18).supports(FallocateMode.UNSHARE_RANGE));
        assertTrue(!xfs.capabilities(KernelRelease.V3_15).supports(FallocateMode.UNSHARE_RANGE));
        assertTrue(!xfs.capabilities(KernelRelease.V3_14).supports(FallocateMode.COLLAPSE_RANGE));
        assertEquals(Long.MAX_VALUE, xfs.capabilities(KernelRelease.V6_18).maxBytes());
        assertEquals(0x58465342L, xfs.capabilities(KernelRelease.V6_18).magic());
    }
}
