package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/** The test-support export other bundles' tests boot the VFS with. */
class TestVfsTest {
    @Test
    void bootRegistersTheTypesInOrderAndTheLimitsReachTheCore() {
        Vfs vfs = TestVfs.boot(KernelRelease.V3_15, new MemFs("ramA"), new MemFs("ramB"));
        assertEquals(KernelRelease.V3_15, ((VfsCore) vfs).release());
        assertEquals(List.of("nodev\tramA", "nodev\tramB"), vfs.filesystems(), "/proc/filesystems, in order");
        vfs.mount("a", "/", "ramA", "");
        vfs.mkdir("/b", 0755);
        vfs.mount("b", "/b", "ramB", "");
        OpenFile f = vfs.open("/b/f", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
        long before = TestVfs.memoryUsedPages(vfs);
        f.pwrite(0, new byte[8192], 0, 8192);
        assertEquals(((VfsCore) vfs).memoryUsedPages(), TestVfs.memoryUsedPages(vfs));
        assertTrue(TestVfs.memoryUsedPages(vfs) > before, "two dirty pages are charged");
        TestVfs.setRlimitFsize(vfs, 4096);
        assertEquals(
                Errno.EFBIG,
                assertThrows(KernelException.class, () -> f.pwrite(4096, new byte[1], 0, 1))
                        .errno());
        TestVfs.setMemoryPages(vfs, 1234);
        assertEquals(1234, ((VfsCore) vfs).memory.totalPages());
    }

    @Test
    void aVfsItDidNotMakeIsRefused() {
        Vfs other = (Vfs) java.lang.reflect.Proxy.newProxyInstance(
                Vfs.class.getClassLoader(), new Class<?>[] {Vfs.class}, (p, m, a) -> null);
        assertThrows(IllegalArgumentException.class, () -> TestVfs.setRlimitFsize(other, 1));
    }
}
