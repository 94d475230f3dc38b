package org.kmodel.module.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * Issue 12 item 5: insmod /dev/zero read the device until the heap ran out (71 s); kernel_read_file reads only
 * regular files, so it is EINVAL at once, as is an empty file.
 */
class Issue12InsmodDevZeroTest {
    @Test
    @Timeout(10)
    void item5InsmodOfADeviceIsEinvalAtOnce() {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero on this host");
        KernelException e = assertThrows(KernelException.class, () -> ModuleLoaderComponent.read(zero, true));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void item5AnEmptyFileIsEinval(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.ko"));
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> ModuleLoaderComponent.read(empty, true))
                        .errno());
    }
}
