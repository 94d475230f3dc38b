package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
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
 * Issue 11: {@code mount -o ro}, {@code mount -o remount,ro|rw DIR} and what the commands print when a read-only
 * mount refuses them (util-linux's and coreutils' words, measured with the host's mount 2.40 and touch).
 */
class Issue11ReadOnlyMountCommandsTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final FileCommands files = new FileCommands();
    private final TreeCommands tree = new TreeCommands();
    private final MountCommands mounts = new MountCommands();

    Issue11ReadOnlyMountCommandsTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        files.vfs = vfs;
        tree.vfs = vfs;
        mounts.vfs = vfs;
        tree.mkdir("/ro");
    }

    private static KernelException fails(Runnable r) {
        return assertThrows(KernelException.class, r::run);
    }

    private String options(String target) {
        return mounts.mount().mounts().stream()
                .filter(m -> m.target().equals(target))
                .map(MountInfo::options)
                .findFirst()
                .orElseThrow();
    }

    private List<String> names(String dir) {
        return vfs.readdir(dir).stream().map(DirEntry::name).toList();
    }

    @Test
    void mountDashORoRefusesWritesWithOneLine() {
        mounts.mount("-t", "tmpfs", "-o", "ro", "none", "/ro");
        assertEquals("ro,relatime", options("/ro"));
        KernelException touch = fails(() -> files.touch("/ro/y"));
        assertEquals(Errno.EROFS, touch.errno());
        assertEquals("cannot touch '/ro/y': Read-only file system", touch.getMessage());
        assertEquals(Errno.EROFS, fails(() -> files.write("/ro/x", "x")).errno());
        assertEquals(Errno.EROFS, fails(() -> tree.mkdir("/ro/d")).errno());
        assertEquals(List.of(), names("/ro"));

        mounts.mount("-o", "remount,rw", "/ro");
        assertEquals("rw,relatime", options("/ro"));
        files.write("/ro/x", "x");
        assertEquals("x", files.cat("/ro/x"));
    }

    @Test
    void remountRoIsBusyWhileAFileIsOpenForWriting() {
        mounts.mount("-t", "tmpfs", "tmpfs", "/ro");
        files.write("/ro/x", "x");
        OpenFile w = vfs.open("/ro/x", OpenFlags.O_WRONLY, 0);
        KernelException busy = fails(() -> mounts.mount("-o", "remount,ro", "/ro"));
        assertEquals(Errno.EBUSY, busy.errno());
        assertEquals("/ro: mount point is busy: Device or resource busy", busy.getMessage());
        assertEquals("rw,relatime", options("/ro"));
        w.close();
        mounts.mount("-o", "remount,ro", "/ro");
        assertEquals("ro,relatime", options("/ro"));
        assertEquals("x", files.cat("/ro/x"));
        assertEquals(Errno.EROFS, fails(() -> files.append("/ro/x", "y")).errno());
        assertEquals("x", files.cat("/ro/x"));
    }

    @Test
    void remountOfSomethingElse() {
        KernelException notMounted = fails(() -> mounts.mount("-o", "remount,ro", "/ro"));
        assertEquals(Errno.EINVAL, notMounted.errno());
        assertEquals("/ro: mount point not mounted or bad option: Invalid argument", notMounted.getMessage());
        KernelException missing = fails(() -> mounts.mount("-o", "remount,ro", "/nope"));
        assertEquals(Errno.ENOENT, missing.errno());
        assertEquals("rw,relatime", options("/"));
    }
}
