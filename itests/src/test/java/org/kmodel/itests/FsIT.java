package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.itests.support.KernelTestSupport;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Issue 7 wiring: the ext4, xfs and hostfs features register their filesystem types with the VFS; mkfs from
 * the shell, mount, collapse through the VFS, umount and remount keep the data; hostfs passes a collapse to the
 * host; a mounted type's bundle stopping leaves the mount usable until umount.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FsIT extends KernelTestSupport {
    @Configuration
    public Option[] config() {
        return kernel(feature("fs-ext4"), feature("fs-xfs"), feature("fs-hostfs"));
    }

    private Vfs vfs() throws Exception {
        await("the VFS", () -> context.getServiceReference(Vfs.class) != null);
        ServiceReference<Vfs> ref = context.getServiceReference(Vfs.class);
        Vfs vfs = context.getService(ref);
        await(
                "ext4, xfs and hostfs registered",
                () -> vfs.filesystems().stream()
                                .filter(l -> l.endsWith("\text4") || l.endsWith("\txfs") || l.endsWith("\thostfs"))
                                .count()
                        == 3);
        return vfs;
    }

    @Test
    public void mkfsMountCollapseRemount() throws Exception {
        File dir = new File(WORK, "fsit").getAbsoluteFile();
        dir.mkdirs();
        File root = new File(dir, "root.img");
        File data = new File(dir, "data.img");
        root.delete();
        data.delete();
        assertTrue(gogo("mkfs -t ext4 " + root + " 64M").startsWith("Creating filesystem with 16384 4k blocks"));
        assertTrue(gogo("mkfs -t xfs -b 1k " + data + " 64M").contains("bsize=1024"));
        Vfs vfs = vfs();
        vfs.mount(root.getPath(), "/", "ext4", "");
        vfs.mkdir("/data", 0755);
        vfs.mount(data.getPath(), "/data", "xfs", "");
        for (String path : new String[] {"/f", "/data/f"}) {
            OpenFile f = vfs.open(path, OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
            byte[] page = new byte[4096];
            for (int p = 0; p < 16; p++) {
                java.util.Arrays.fill(page, (byte) (p + 1));
                f.pwrite(p * 4096L, page, 0, 4096);
            }
            f.fallocate(FallocateMode.COLLAPSE_RANGE, 4096, 4096);
            assertEquals(61440, f.fstat().size());
            f.pread(4096, page, 0, 1);
            assertEquals(3, page[0]);
            try {
                f.fallocate(FallocateMode.COLLAPSE_RANGE, 1000, 4096);
                throw new AssertionError("unaligned collapse must fail");
            } catch (KernelException e) {
                assertEquals("fallocate failed: Invalid argument", e.getMessage());
            }
            f.close();
        }
        vfs.umount("/data");
        vfs.umount("/");
        vfs.mount(root.getPath(), "/", "ext4", "");
        assertEquals(61440, vfs.stat("/f").size());
        assertEquals(120, vfs.stat("/f").blocks());
        vfs.umount("/");
    }

    @Test
    public void hostfsPassesCollapseToTheHost() throws Exception {
        File host = new File(WORK, "fsit-host").getAbsoluteFile();
        host.mkdirs();
        new File(host, "h").delete();
        Vfs vfs = vfs();
        File rootImg = new File(WORK, "fsit-hostroot.img").getAbsoluteFile();
        rootImg.delete();
        gogo("mkfs -t ext4 " + rootImg + " 32M");
        vfs.mount(rootImg.getPath(), "/", "ext4", "");
        vfs.mkdir("/host", 0755);
        vfs.mount(host.getPath(), "/host", "hostfs", "");
        OpenFile f = vfs.open("/host/h", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
        byte[] page = new byte[4096];
        for (int p = 0; p < 4; p++) {
            java.util.Arrays.fill(page, (byte) (p + 1));
            f.pwrite(p * 4096L, page, 0, 4096);
        }
        f.fsync();
        f.fallocate(FallocateMode.COLLAPSE_RANGE, 4096, 4096);
        f.close();
        vfs.umount("/host");
        vfs.umount("/");
        byte[] onHost = Files.readAllBytes(new File(host, "h").toPath());
        assertEquals(12288, onHost.length);
        assertEquals(3, onHost[4096]);
    }

    /**
     * Issue 7: the ext4 bundle stops while a file on an ext4 mount has dirty pages that were never synced. SCR
     * unregisters the type's service (the VFS's unbind writes the mount back) before the type's deactivate
     * commits, so the data is in the image at once; the mount stays usable until umount, and after umount and
     * remount the file reads back.
     */
    @Test
    public void stoppingAMountedTypeWritesItsDirtyPagesBack() throws Exception {
        File img = new File(WORK, "fsit-issue7.img").getAbsoluteFile();
        img.delete();
        gogo("mkfs -t ext4 " + img + " 32M");
        Vfs vfs = vfs();
        vfs.mkdir("/issue7", 0755);
        vfs.mount(img.getPath(), "/issue7", "ext4", "");
        String marker = "issue7-never-synced-marker";
        OpenFile f = vfs.open("/issue7/f", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
        byte[] b = marker.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        f.pwrite(0, b, 0, b.length);
        f.close();
        assertTrue("not in the image before the stop", !inImage(img, marker));
        ServiceReference<?> type = context.getServiceReferences(
                        org.kmodel.vfs.spi.FileSystemType.class,
                        "(" + org.kmodel.vfs.spi.FileSystemType.TYPE + "=ext4)")
                .iterator()
                .next();
        Bundle ext4 = type.getBundle();
        ext4.stop();
        try {
            assertTrue("the VFS wrote the page back before ext4 went away", inImage(img, marker));
            assertEquals(marker.length(), vfs.stat("/issue7/f").size());
        } finally {
            ext4.start();
        }
        vfs();
        vfs.umount("/issue7");
        vfs.mount(img.getPath(), "/issue7", "ext4", "");
        byte[] back = new byte[b.length];
        OpenFile g = vfs.open("/issue7/f", OpenFlags.O_RDONLY, 0);
        g.pread(0, back, 0, back.length);
        g.close();
        assertEquals(marker, new String(back, java.nio.charset.StandardCharsets.US_ASCII));
        vfs.umount("/issue7");
        vfs.rmdir("/issue7");
    }

    private static boolean inImage(File img, String marker) throws java.io.IOException {
        return new String(Files.readAllBytes(img.toPath()), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(marker);
    }
}
