package org.kmodel.shell.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 11: /lib/modules is the distribution's copy on a tmpfs that is read-only once populated, so a redirection
 * into it fails with EROFS and creates nothing, while the modules stay readable.
 */
class Issue11ReadOnlyLibModulesTest {
    @TempDir
    Path home;

    @Test
    void populatedThenReadOnly() throws Exception {
        Path ko = home.resolve("6.18.0-kmodel/extra/a.ko");
        Files.createDirectories(ko.getParent());
        Files.writeString(ko, "module bytes");
        Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
        vfs.mount("tmpfs", "/", "tmpfs", "");

        LibModules.mountCopy(vfs, home, LibModules.TARGET);

        MountInfo m = vfs.mounts().stream()
                .filter(i -> i.target().equals("/lib/modules"))
                .findFirst()
                .orElseThrow();
        assertEquals("ro,relatime,size=65536k", m.options());
        byte[] buf = new byte[64];
        try (OpenFile f = vfs.open("/lib/modules/6.18.0-kmodel/extra/a.ko", OpenFlags.O_RDONLY, 0)) {
            int n = f.read(buf, 0, buf.length);
            assertEquals("module bytes", new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        // what `echo x > /lib/modules/x` asks for: O_WRONLY|O_CREAT|O_TRUNC
        int redirect = OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC;
        assertEquals(
                Errno.EROFS,
                assertThrows(KernelException.class, () -> vfs.open("/lib/modules/x", redirect, 0644))
                        .errno());
        assertEquals(
                Errno.EROFS,
                assertThrows(
                                KernelException.class,
                                () -> vfs.open("/lib/modules/6.18.0-kmodel/extra/a.ko", redirect, 0644))
                        .errno());
        assertEquals(
                List.of("6.18.0-kmodel"),
                vfs.readdir("/lib/modules").stream().map(DirEntry::name).toList());
        assertEquals(12, vfs.stat("/lib/modules/6.18.0-kmodel/extra/a.ko").size());
        assertArrayEquals("module bytes".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(ko));
    }
}
