package org.kmodel.fs.ext4.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 12 item 5: memory is a resource of the model. With 16 MiB of model RAM: the page cache of a 32 MiB file
 * on ext4 stays within it (written back and evicted), a default tmpfs holds half of it (ENOSPC), a tmpfs sized
 * larger than what is left gets ENOMEM; nothing of the ext4 file is lost and the budget never goes over.
 */
class Issue12MemoryTest {
    private static final int RAM_PAGES = 4096;

    @Test
    void item5PageCacheIsBoundedAndTmpfsIsSizedFromTheModelsMemory(@TempDir Path state) {
        BlockDeviceFactory devs = TestBlockDevices.factory();
        new Ext4FsType(devs).mkfs(state.resolve("root.img"), 128L << 20, Map.of());
        Vfs vfs = TestVfs.boot(KernelRelease.V6_18, new Ext4FsType(devs), TestTmpfs.fsType());
        TestVfs.setMemoryPages(vfs, RAM_PAGES);
        vfs.mount(state.resolve("root.img").toString(), "/", "ext4", "");
        vfs.mkdir("/tmp", 01777);
        vfs.mkdir("/big", 0755);
        vfs.mount("tmpfs", "/tmp", "tmpfs", "");
        assertEquals(RAM_PAGES / 2, vfs.statfs("/tmp").blocks(), "tmpfs default: half of the model's RAM");

        byte[] chunk = new byte[1 << 20];
        try (OpenFile f = vfs.open("/file", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644)) {
            for (int i = 0; i < 32; i++) {
                Arrays.fill(chunk, (byte) (i + 1));
                assertEquals(chunk.length, f.pwrite((long) i << 20, chunk, 0, chunk.length));
                assertTrue(
                        TestVfs.memoryUsedPages(vfs) <= RAM_PAGES,
                        "within the budget: " + TestVfs.memoryUsedPages(vfs));
            }
        }
        long written = 0;
        try (OpenFile t = vfs.open("/tmp/a", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644)) {
            KernelException full = assertThrows(KernelException.class, () -> {
                for (long off = 0; ; off += chunk.length) {
                    int n = t.pwrite(off, chunk, 0, chunk.length);
                    if (n < chunk.length) {
                        t.pwrite(off + n, chunk, 0, chunk.length); // the next call reports the errno
                    }
                }
            });
            assertEquals(Errno.ENOSPC, full.errno());
            written = t.fstat().size();
        }
        assertEquals((long) RAM_PAGES / 2 * 4096, written, "exactly the tmpfs size");
        assertTrue(TestVfs.memoryUsedPages(vfs) <= RAM_PAGES);
        vfs.mount("tmpfs", "/big", "tmpfs", "size=100%");
        try (OpenFile b = vfs.open("/big/b", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644)) {
            KernelException oom = assertThrows(KernelException.class, () -> {
                for (long off = 0; ; off += chunk.length) {
                    int n = b.pwrite(off, chunk, 0, chunk.length);
                    if (n < chunk.length) {
                        b.pwrite(off + n, chunk, 0, chunk.length);
                    }
                }
            });
            assertEquals(Errno.ENOMEM, oom.errno(), "the instance has room, the model does not");
        }
        assertTrue(TestVfs.memoryUsedPages(vfs) <= RAM_PAGES);
        vfs.umount("/big");
        try (OpenFile f = vfs.open("/file", OpenFlags.O_RDONLY, 0)) {
            byte[] got = new byte[chunk.length];
            for (int i = 0; i < 32; i++) {
                f.pread((long) i << 20, got, 0, got.length);
                Arrays.fill(chunk, (byte) (i + 1));
                assertArrayEquals(chunk, got, "MiB " + i);
            }
        }
        TestVfs.shutdown(vfs);
    }
}
