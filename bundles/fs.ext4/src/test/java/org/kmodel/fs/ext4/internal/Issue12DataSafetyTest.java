package org.kmodel.fs.ext4.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.Mkfs;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.fs.xfs.testing.TestXfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 12 items 3, 8 and 11 through the real VFS with ext4 on / and xfs on /data (both image files), the way
 * the distribution boots them; "a restart" is a new Vfs over the same images.
 */
class Issue12DataSafetyTest {
    private static Vfs boot(Path state) {
        BlockDeviceFactory devs = TestBlockDevices.factory();
        Vfs vfs = TestVfs.boot(KernelRelease.V6_18, new Ext4FsType(devs), TestXfs.fsType(devs), TestTmpfs.fsType());
        vfs.mount(state.resolve("root.img").toString(), "/", "ext4", "");
        try {
            vfs.mkdir("/data", 0755);
        } catch (KernelException e) {
            // exists after the first boot
        }
        vfs.mount(state.resolve("data.img").toString(), "/data", "xfs", "");
        try {
            vfs.mkdir("/tmp", 01777);
        } catch (KernelException e) {
            // exists after the first boot
        }
        vfs.mount("tmpfs", "/tmp", "tmpfs", "");
        return vfs;
    }

    private static void mkfs(Path state, int ext4Block) {
        BlockDeviceFactory devs = TestBlockDevices.factory();
        new Ext4FsType(devs).mkfs(state.resolve("root.img"), 64L << 20, Map.of("blocksize", String.valueOf(ext4Block)));
        TestXfs.mkfs(devs).mkfs(state.resolve("data.img"), 64L << 20, Map.of());
    }

    private static Errno errno(Runnable r) {
        return assertThrows(KernelException.class, r::run).errno();
    }

    private static void write(Vfs vfs, String path, String text) {
        try (OpenFile f = vfs.open(path, OpenFlags.O_CREAT | OpenFlags.O_RDWR | OpenFlags.O_TRUNC, 0644)) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            f.pwrite(0, b, 0, b.length);
            f.fsync();
        }
    }

    private static String read(Vfs vfs, String path) {
        try (OpenFile f = vfs.open(path, OpenFlags.O_RDONLY, 0)) {
            byte[] b = new byte[(int) f.fstat().size()];
            f.pread(0, b, 0, b.length);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /**
     * Item 3: a symlink target over 65,535 bytes used to make every later sync fail (UTFDataFormatException) and
     * lose the data written after it. getname's PATH_MAX and each filesystem's own limit refuse it first.
     */
    @Test
    void item3LongSymlinkTargetsAreRefusedAndLaterDataSurvives(@TempDir Path state) {
        mkfs(state, 1024);
        Vfs vfs = boot(state);
        String huge = "x".repeat(70_000);
        assertEquals(Errno.ENAMETOOLONG, errno(() -> vfs.symlink(huge, "/l")));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> vfs.symlink("y".repeat(4096), "/tmp/l")));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> vfs.symlink("y".repeat(1024), "/l")), "ext4 1k: one block");
        assertEquals(Errno.ENAMETOOLONG, errno(() -> vfs.symlink("y".repeat(1024), "/data/l")), "xfs: 1024");
        vfs.symlink("y".repeat(1023), "/l");
        vfs.symlink("z".repeat(1023), "/data/l");
        vfs.symlink("w".repeat(4095), "/tmp/l");
        write(vfs, "/after", "written after the refused symlink");
        write(vfs, "/data/after", "and on xfs");
        vfs.sync();
        TestVfs.shutdown(vfs);
        Vfs again = boot(state);
        assertEquals("written after the refused symlink", read(again, "/after"));
        assertEquals("and on xfs", read(again, "/data/after"));
        assertEquals(1023, again.readlink("/l").length());
        assertEquals(1023, again.lstat("/data/l").size());
        TestVfs.shutdown(again);
    }

    /**
     * Item 8: fallocate -l 2^63-1 on /data used to fail with "fromKey > toKey" and leave the size at 2^63-1.
     * As on the host (6.18, loop-mounted xfs and /tmp ext4): xfs ENOSPC, ext4 EFBIG (s_maxbytes), an offset that
     * makes offset+len wrap EFBIG; the file is unchanged, also after a restart.
     */
    @Test
    void item8FailedFallocateChangesNothing(@TempDir Path state) {
        mkfs(state, 4096);
        Vfs vfs = boot(state);
        write(vfs, "/data/f", "");
        write(vfs, "/f", "");
        long max = Long.MAX_VALUE;
        try (OpenFile x = vfs.open("/data/f", OpenFlags.O_RDWR, 0);
                OpenFile e = vfs.open("/f", OpenFlags.O_RDWR, 0)) {
            assertEquals(Errno.ENOSPC, errno(() -> x.fallocate(0, 0, max)));
            assertEquals(Errno.EFBIG, errno(() -> x.fallocate(0, 4096, max)));
            assertEquals(Errno.ENOSPC, errno(() -> x.fallocate(1, 0, max)), "KEEP_SIZE");
            assertEquals(Errno.EFBIG, errno(() -> e.fallocate(0, 0, max)));
            assertEquals(0, x.fstat().size());
            assertEquals(0, x.fstat().blocks());
            assertEquals(0, e.fstat().size());
        }
        vfs.sync();
        TestVfs.shutdown(vfs);
        Vfs again = boot(state);
        assertEquals(0, again.stat("/data/f").size());
        TestVfs.shutdown(again);
    }

    /** Item 11: mkfs of a size below one sector or too small leaves no file; a foreign file needs -F. */
    @Test
    void item11MkfsRefusesForeignFilesAndLeavesNoEmptyFiles(@TempDir Path dir) throws Exception {
        Ext4FsType ext4 = new Ext4FsType(TestBlockDevices.factory());
        Mkfs xfs = TestXfs.mkfs(TestBlockDevices.factory());
        Path tiny = dir.resolve("tiny.img");
        assertEquals(Errno.EINVAL, errno(() -> ext4.mkfs(tiny, 1, Map.of())));
        assertFalse(Files.exists(tiny), "no 0-byte file left behind");
        assertEquals(Errno.EINVAL, errno(() -> xfs.mkfs(tiny, 64 << 10, Map.of())));
        assertFalse(Files.exists(tiny));
        Path notes = dir.resolve("notes.txt");
        byte[] text = "my thesis, chapter 1\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        Files.write(notes, text);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(notes.toFile(), "rw")) {
            f.setLength(64L << 20); // large enough to hold a filesystem: only -F decides
        }
        assertEquals(Errno.EEXIST, errno(() -> ext4.mkfs(notes, 64L << 20, Map.of())));
        assertEquals(Errno.EEXIST, errno(() -> xfs.mkfs(notes, 0, Map.of())));
        assertArrayEquals(text, java.util.Arrays.copyOf(Files.readAllBytes(notes), text.length), "untouched");
        ext4.mkfs(notes, 64L << 20, Map.of("force", ""));
        ext4.mkfs(notes, 0, Map.of()); // a kmodel image may be made again
        Path zeros = dir.resolve("zeros.img");
        Files.write(zeros, new byte[64 << 20]);
        xfs.mkfs(zeros, 0, Map.of());
    }

    /**
     * Item 11 re-run on 4 Dec: {@code mkfs -F -t ext4 FILE 8M} on a 19-byte file failed ("Device size reported to be
     * zero or too small"); on the host {@code mkfs.ext4 -F FILE 8M} grows it to 8,388,608 bytes and {@code mkfs.xfs
     * -f -d size=300m FILE} to 314,572,800. A file larger than the size keeps its length.
     */
    @Test
    void item11ForcedMkfsGrowsASmallFileToTheSizeGiven(@TempDir Path dir) throws Exception {
        Ext4FsType ext4 = new Ext4FsType(TestBlockDevices.factory());
        Mkfs xfs = TestXfs.mkfs(TestBlockDevices.factory());
        Path a = dir.resolve("a.txt");
        Files.write(a, "some text 19 bytes\n".getBytes(StandardCharsets.UTF_8));
        ext4.mkfs(a, 8L << 20, Map.of("force", ""));
        assertEquals(8L << 20, Files.size(a));
        Path b = dir.resolve("b.txt");
        Files.write(b, "some text 19 bytes\n".getBytes(StandardCharsets.UTF_8));
        xfs.mkfs(b, 300L << 20, Map.of("force", ""));
        assertEquals(300L << 20, Files.size(b));
        ext4.mkfs(b, 16L << 20, Map.of("force", ""));
        assertEquals(300L << 20, Files.size(b), "a larger file keeps its length");
    }
}
