package org.kmodel.block.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.WriteRecorder;

/** The test-support export other bundles' tests and the benchmarks get their devices from. */
class TestBlockDevicesTest {
    @TempDir
    Path dir;

    @Test
    void aCopyHoldsTheContentAndIsIndependent() {
        BlockDevice ram = TestBlockDevices.memory("ram", 1 << 20, 512);
        byte[] a = filled(512, (byte) 'a');
        ram.write(4096, a, 0, a.length, false);
        BlockDevice copy = TestBlockDevices.copy(ram, "copy");
        assertEquals("copy", copy.name());
        assertArrayEquals(a, read(copy, 4096));
        copy.write(4096, filled(512, (byte) 'b'), 0, 512, false);
        assertArrayEquals(a, read(ram, 4096), "writing the copy leaves the original");
        try (BlockDevice image = TestBlockDevices.image(dir.resolve("x.img"), 1 << 20)) {
            assertThrows(IllegalArgumentException.class, () -> TestBlockDevices.copy(image, "no"));
        }
    }

    @Test
    void theRecorderLogsEveryWrite() {
        WriteRecorder rec = TestBlockDevices.record(TestBlockDevices.memory("ram", 1 << 20, 512));
        rec.write(0, filled(512, (byte) 1), 0, 512, false);
        rec.write(512, filled(512, (byte) 2), 0, 512, true);
        assertEquals(2, rec.log().size());
    }

    private static byte[] filled(int n, byte b) {
        byte[] x = new byte[n];
        java.util.Arrays.fill(x, b);
        return x;
    }

    private static byte[] read(BlockDevice d, long off) {
        byte[] b = new byte[512];
        d.read(off, b, 0, b.length);
        return b;
    }
}
