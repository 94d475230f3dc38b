package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmodel.vfs.internal.Fixture.errno;

import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.vfs.OpenFlags;

/** Filesystem types as services: mount references, EBUSY, hot swap at the next mount. */
class FileSystemRegistryTest {
    private final Fixture fx = new Fixture();

    @Test
    void mountedTypeCannotBeUnregistered() {
        MemFs t = new MemFs("t");
        fx.vfs.registerFilesystem(t, 0, 10);
        fx.vfs.mkdir("/m", 0755);
        fx.vfs.mount("x", "/m", "t", "");
        assertEquals(Errno.EBUSY, errno(() -> fx.vfs.unregisterFilesystem("t")));
        fx.vfs.umount("/m");
        fx.vfs.unregisterFilesystem("t");
        assertEquals(Errno.ENODEV, errno(() -> fx.vfs.mount("x", "/m", "t", "")));
        assertEquals(Errno.ENOENT, errno(() -> fx.vfs.unregisterFilesystem("t")));
    }

    @Test
    void replacementIsUsedAtTheNextMountOnly() {
        MemFs v1 = new MemFs("t");
        MemFs v2 = new MemFs("t");
        fx.vfs.registerFilesystem(v1, 0, 10);
        fx.vfs.mkdir("/a", 0755);
        fx.vfs.mkdir("/b", 0755);
        fx.vfs.mount("x", "/a", "t", "");
        fx.vfs.open("/a/file", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644).close();
        fx.vfs.registerFilesystem(v2, 100, 11); // a live patch with a higher ranking
        fx.vfs.mount("x", "/b", "t", "");
        assertEquals(1, v1.mounts);
        assertEquals(1, v2.mounts);
        assertEquals(1, fx.vfs.readdir("/a").size(), "the old mount keeps its super block");
        // the old implementation leaves (bundle stopped): the mounts stay usable, the count is reported
        assertEquals(2, fx.vfs.unregisterFilesystem(v1));
        assertEquals(1, fx.vfs.readdir("/a").size());
        fx.vfs.umount("/a");
        fx.vfs.umount("/b");
        assertEquals(0, fx.vfs.mountCount("t"));
    }

    @Test
    void mountHoldsAModuleReferenceUntilUmount() {
        java.util.List<String> log = new java.util.ArrayList<>();
        fx.vfs.moduleRefs = new VfsCore.ModuleRefs() {
            @Override
            public String get(org.kmodel.vfs.spi.FileSystemType type) {
                log.add("get " + type.name());
                return "fs_" + type.name();
            }

            @Override
            public void put(String module) {
                log.add("put " + module);
            }
        };
        MemFs t = new MemFs("t");
        fx.vfs.registerFilesystem(t, 0, 10);
        fx.vfs.mkdir("/m", 0755);
        fx.vfs.mount("x", "/m", "t", "");
        assertEquals(java.util.List.of("get t"), log);
        fx.vfs.umount("/m");
        assertEquals(java.util.List.of("get t", "put fs_t"), log);
    }

    @Test
    void busyMountAndFailedMountLeaveNoReference() {
        MemFs t = new MemFs("t");
        fx.vfs.registerFilesystem(t, 0, 10);
        fx.vfs.mkdir("/m", 0755);
        assertEquals(Errno.EINVAL, errno(() -> fx.vfs.mount("x", "/m", "t", "fail")));
        assertEquals(0, fx.vfs.mountCount("t"));
        fx.vfs.mount("x", "/m", "t", "rw,relatime");
        var f = fx.vfs.open("/m/f", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
        assertEquals(Errno.EBUSY, errno(() -> fx.vfs.umount("/m")));
        f.close();
        fx.vfs.umount("/m");
        assertTrue(fx.vfs.mounts().stream().noneMatch(m -> m.target().equals("/m")));
        assertTrue(fx.vfs.filesystems().contains("nodev\tt"));
    }
}
