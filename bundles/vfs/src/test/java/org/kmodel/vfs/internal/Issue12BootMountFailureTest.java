package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.spi.MountContext;
import org.kmodel.vfs.spi.SuperBlock;

/**
 * Issue 12 item 4: a boot mount that fails is reported once (console and dmesg through the hooks) and never
 * lets writes meant for it land on the parent filesystem: a mount point made for it goes again (ENOENT), one
 * that existed is refused below (EIO) until a mount succeeds there.
 */
class Issue12BootMountFailureTest {
    private final VfsCore vfs = new VfsCore(KernelRelease.V6_18);
    private final List<String> reported = new ArrayList<>();
    private final BootMounts.Hooks hooks = new BootMounts.Hooks() {
        @Override
        public void failed(String line, String source, String type) {
            reported.add(line);
        }
    };

    /** A disk type whose image is corrupt: every mount is EUCLEAN, as ext4/xfs answer a bad checkpoint. */
    private static final class CorruptFs extends MemFs {
        CorruptFs() {
            super("corrupt");
        }

        @Override
        public SuperBlock mount(MountContext context) {
            throw new KernelException(Errno.EUCLEAN, "superblock checksum");
        }
    }

    private static Errno errno(Runnable r) {
        return assertThrows(KernelException.class, r::run).errno();
    }

    @Test
    void item4AFailedBootMountIsReportedOnceAndItsNewMountPointRemoved() {
        vfs.registerFilesystem(new MemFs("ramA"), 0, 1);
        vfs.registerFilesystem(new CorruptFs(), 0, 2);
        BootMounts boot = new BootMounts(vfs, new String[] {"a / ramA", "data.img /data corrupt"}, hooks);
        boot.progress();
        assertEquals(
                List.of("VFS: boot mount failed: data.img /data corrupt: superblock checksum: "
                        + "Structure needs cleaning"),
                reported);
        assertEquals(1, boot.errors().size());
        assertEquals(Errno.ENOENT, errno(() -> vfs.stat("/data")));
        assertEquals(Errno.ENOENT, errno(() -> vfs.open("/data/x", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644)));
        assertEquals(
                List.of(),
                vfs.readdir("/").stream()
                        .map(e -> e.name())
                        .filter(n -> n.equals("data"))
                        .toList());
    }

    @Test
    void item4AnExistingMountPointOfAFailedMountTakesNoWritesUntilAMountSucceeds() {
        vfs.registerFilesystem(new MemFs("ramA"), 0, 1);
        vfs.registerFilesystem(new CorruptFs(), 0, 2);
        vfs.mount("a", "/", "ramA", "");
        vfs.mkdir("/data", 0755); // made by an earlier boot
        BootMounts boot = new BootMounts(vfs, new String[] {"data.img /data corrupt"}, hooks);
        boot.progress();
        assertEquals(1, reported.size());
        assertTrue(vfs.stat("/data").isDirectory(), "the directory stays, as the kernel leaves it");
        assertEquals(Errno.EIO, errno(() -> vfs.open("/data/x", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644)));
        assertEquals(Errno.EIO, errno(() -> vfs.mkdir("/data/d", 0755)));
        assertEquals(Errno.EIO, errno(() -> vfs.readdir("/data")));
        assertFalse(vfs.readdir("/").isEmpty());
        vfs.mount("b", "/data", "ramA", ""); // the admin repaired the image and mounted it
        vfs.open("/data/x", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644).close();
        vfs.umount("/data");
        assertEquals(List.of(), vfs.readdir("/data"), "nothing landed on the parent filesystem");
    }

    @Test
    void item4AFailedRootIsOneLineNotOnePerMountBelowIt() {
        vfs.registerFilesystem(new MemFs("ramA"), 0, 1);
        vfs.registerFilesystem(new CorruptFs(), 0, 2);
        BootMounts boot =
                new BootMounts(vfs, new String[] {"root.img / corrupt", "a /tmp ramA", "a /proc ramA"}, hooks);
        boot.progress();
        assertEquals(1, reported.size(), reported.toString());
        assertEquals(3, boot.errors().size());
    }
}
