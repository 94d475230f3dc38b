package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.itests.support.KernelTestSupport;
import org.kmodel.itests.support.TestBundle;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.Vfs;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The vfs feature in the framework (issue 6): boot mounts, fallocate's errno through the shell, tmpfs refusing
 * collapse, a replacement filesystem implementation used at the next mount only, and EBUSY for a mounted type.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VfsIT extends KernelTestSupport {
    @Configuration
    public Option[] config() {
        return kernel();
    }

    @Test
    public void bootMountsAndProcMounts() throws Exception {
        String mounts = awaitGogo("cat /proc/mounts", "sysfs");
        assertEquals(
                "tmpfs / tmpfs rw,relatime 0 0\ntmpfs /tmp tmpfs rw,relatime 0 0\n"
                        + "tmpfs /dev/shm tmpfs rw,relatime 0 0\nproc /proc proc rw,relatime 0 0\n"
                        + "sysfs /sys sysfs rw,relatime 0 0",
                mounts);
        assertEquals("0", gogo("cat /proc/sys/kernel/tainted"));
    }

    @Test
    public void tmpfsCollapseIsEopnotsuppAndChangesNothing() throws Exception {
        awaitGogo("mount", "/dev/shm");
        gogo("xfs_io -f -c 'pwrite -q -S 0x61 0 16k' /dev/shm/f");
        String err = gogoFails("fallocate -c -o 4096 -l 4096 /dev/shm/f");
        assertTrue(err, err.contains("fallocate failed: Operation not supported"));
        assertTrue(gogo("stat /dev/shm/f").contains("Size: 16384"));
        err = gogoFails("fallocate -o 4096 -l 0 /dev/shm/f");
        assertTrue(err, err.contains("invalid length value specified"));
        gogo("fallocate -p -o 0 -l 4096 /dev/shm/f");
        assertTrue(gogo("xfs_io -c 'seek -d 0' /dev/shm/f").contains("DATA\t4096"));
    }

    @Test
    public void replacementIsUsedAtNextMountAndMountedTypeIsBusy() throws Exception {
        awaitGogo("mount", "/tmp");
        Vfs vfs = context.getService(context.getServiceReference(Vfs.class));
        try {
            vfs.unregisterFilesystem("tmpfs");
            fail("a mounted type was unregistered");
        } catch (KernelException e) {
            assertEquals(Errno.EBUSY, e.errno());
        }
        File jar = new TestBundle("org.kmodel.itests.tmpfs.patch")
                .importPackage("org.kmodel.kernel;version=\"[1.0,2)\",org.kmodel.vfs;version=\"[1.0,2)\","
                        + "org.kmodel.vfs.spi;version=\"[1.0,2)\",org.osgi.framework")
                .add("org.kmodel.itests.PatchedTmpfs")
                .add("org.kmodel.itests.PatchedSuperBlock")
                .component(
                        "patched-tmpfs",
                        "org.kmodel.itests.PatchedTmpfs",
                        "org.kmodel.vfs.spi.FileSystemType",
                        "kmodel.fs.type=tmpfs",
                        "service.ranking:Integer=100")
                .write(new File(WORK, "VfsIT/patch.jar"));
        Bundle patch = context.installBundle(jar.toURI().toString());
        patch.start();
        gogo("mkdir -p /mnt/a");
        awaitPatchedMount("/mnt/a");
        assertTrue(gogo("cat /proc/mounts").contains("tmpfs /tmp tmpfs rw,relatime 0 0"));
        gogo("write /mnt/a/file kept");
        patch.uninstall(); // OSGi cannot refuse; the mount keeps the super block the replacement made
        assertEquals("kept", gogo("cat /mnt/a/file"));
        gogo("umount /mnt/a");
        gogo("mount -t tmpfs tmpfs /mnt/a");
        assertTrue(gogo("cat /proc/mounts").contains("tmpfs /mnt/a tmpfs rw,relatime 0 0"));
        gogo("umount /mnt/a");
    }

    private void awaitPatchedMount(String dir) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            gogo("mount -t tmpfs tmpfs " + dir);
            if (gogo("cat /proc/mounts").contains(dir + " tmpfs rw,relatime,patched")) {
                return;
            }
            gogo("umount " + dir);
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the replacement tmpfs was never used");
            }
            Thread.sleep(50);
        }
    }
}
