package org.kmodel.block.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.WriteLogEntry.Kind;
import org.kmodel.block.WriteRecorder;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

class BlockDevicesTest {
    private final BlockDevices factory = new BlockDevices();

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void memoryDeviceReadsZerosUntilWritten() {
        BlockDevice d = factory.memory("ram0", 1 << 20, 512);
        byte[] b = filled(1024, 7);
        d.read(4096, b, 0, 1024);
        assertArrayEquals(new byte[1024], b);
        d.write(4096, filled(1024, 9), 0, 1024, false);
        d.read(4096, b, 0, 1024);
        assertArrayEquals(filled(1024, 9), b);
    }

    @Test
    void misalignedOrOutOfRangeIoIsEinvalAndTransfersNothing() {
        BlockDevice d = factory.memory("ram0", 8192, 512);
        KernelException e = assertThrows(KernelException.class, () -> d.write(100, new byte[512], 0, 512, false));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> d.write(8192 - 512, new byte[1024], 0, 1024, false))
                        .errno());
        byte[] b = new byte[512];
        d.read(0, b, 0, 512);
        assertArrayEquals(new byte[512], b);
    }

    @Test
    void closedDeviceGivesEnxio() {
        BlockDevice d = factory.memory("ram0", 8192, 512);
        d.close();
        assertEquals(
                Errno.ENXIO,
                assertThrows(KernelException.class, () -> d.flush()).errno());
    }

    @Test
    void anImageInAMissingHostDirectoryIsEnoentAndCreatesNothing(@TempDir Path dir) {
        Path img = dir.resolve("nonexistent-dir").resolve("x.img");
        KernelException e = assertThrows(KernelException.class, () -> ImageBlockDevice.open(img, 8L << 20));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(!Files.exists(img.getParent()), "issue 12 case 11: mkfs created the host directory on the way");
    }

    @Test
    void imageIsCreatedSparseAndKeepsData(@TempDir Path dir) throws Exception {
        Path img = Files.createDirectory(dir.resolve("sub")).resolve("root.img");
        try (BlockDevice d = factory.openImage(img, 1L << 30)) {
            assertEquals(1L << 30, d.size());
            d.write(1L << 29, filled(4096, 0x5a), 0, 4096, true);
        }
        assertEquals(1L << 30, Files.size(img));
        Object blocks = Files.getAttribute(img, "unix:size");
        assertEquals(1L << 30, ((Number) blocks).longValue());
        try (BlockDevice d = factory.openImage(img, 0)) {
            byte[] b = new byte[4096];
            d.read(1L << 29, b, 0, 4096);
            assertArrayEquals(filled(4096, 0x5a), b);
        }
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> factory.openImage(dir.resolve("missing.img"), 0))
                        .errno());
    }

    @Test
    void recorderReplaysAnyPrefix() {
        BlockDevice base = factory.memory("ram0", 1 << 16, 512);
        base.write(0, filled(512, 1), 0, 512, false);
        WriteRecorder r = factory.record(base);
        r.write(0, filled(512, 2), 0, 512, false);
        r.flush();
        int m = r.mark("after-flush");
        r.write(512, filled(512, 3), 0, 512, true);
        assertEquals(4, r.log().size());
        assertEquals(Kind.MARK, r.log().get(m).kind());
        byte[] b = new byte[1024];
        r.replay(0).read(0, b, 0, 1024);
        assertEquals(1, b[0]);
        assertEquals(0, b[512]);
        r.replay(1).read(0, b, 0, 1024);
        assertEquals(2, b[0]);
        r.replay(4).read(0, b, 0, 1024);
        assertEquals(3, b[512]);
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> r.replay(5)).errno());
    }

    @Test
    void replayWithSeedMayLoseOnlyUnflushedNonFuaWrites() {
        WriteRecorder r = factory.record(factory.memory("ram0", 1 << 16, 512));
        r.write(0, filled(512, 1), 0, 512, false);
        r.flush();
        r.write(512, filled(512, 2), 0, 512, false);
        r.write(1024, filled(512, 3), 0, 512, true);
        boolean sawLoss = false;
        for (long seed = 0; seed < 32; seed++) {
            byte[] b = new byte[1536];
            r.replay(4, seed).read(0, b, 0, 1536);
            assertEquals(1, b[0], "flushed write survives");
            assertEquals(3, b[1024], "FUA write survives");
            sawLoss |= b[512] == 0;
        }
        assertTrue(sawLoss, "some seed drops the un-flushed write");
    }
}
