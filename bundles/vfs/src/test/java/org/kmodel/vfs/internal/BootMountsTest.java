package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.OpenFlags;

/** Boot mounts: made in order as types appear; replaced when a later configuration brings other ones. */
class BootMountsTest {
    private final VfsCore vfs = new VfsCore(KernelRelease.V6_18);

    private List<String> targets() {
        return vfs.mounts().stream().map(m -> m.fsType() + " " + m.target()).toList();
    }

    @Test
    void mountsAppearAsTheirTypesRegister() {
        BootMounts boot = new BootMounts(vfs, new String[] {"a / ramA", "b /tmp ramB", "a /dev/shm ramA"});
        boot.progress();
        assertTrue(vfs.mounts().isEmpty());
        vfs.registerFilesystem(new MemFs("ramA"), 0, 1);
        boot.progress();
        assertEquals(List.of("ramA /"), targets(), "stops at the first entry whose type is missing");
        vfs.registerFilesystem(new MemFs("ramB"), 0, 2);
        boot.progress();
        assertEquals(List.of("ramA /", "ramB /tmp", "ramA /dev/shm"), targets());
        assertTrue(vfs.stat("/dev").isDirectory(), "missing mount points are created");
    }

    @Test
    void aLaterConfigurationReplacesIdleBootMounts() {
        vfs.registerFilesystem(new MemFs("ramA"), 0, 1);
        vfs.registerFilesystem(new MemFs("ramB"), 0, 2);
        BootMounts first = new BootMounts(vfs, new String[] {"a / ramA", "a /tmp ramA"});
        first.progress();
        assertTrue(first.unmountAll());
        assertTrue(vfs.mounts().isEmpty());
        BootMounts second = new BootMounts(vfs, new String[] {"root.img / ramB", "a /tmp ramA"});
        second.progress();
        assertEquals(List.of("ramB /", "ramA /tmp"), targets());
        var f = vfs.open("/tmp/busy", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
        assertFalse(second.unmountAll(), "a busy boot mount keeps the namespace");
        assertEquals(List.of("ramB /"), targets().subList(0, 1));
        f.close();
        assertTrue(vfs.mounts().stream().map(MountInfo::target).toList().contains("/tmp"));
    }
}
