package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/** The vfs shell commands against a real VFS with tmpfs, compared with the real tools' output formats. */
class VfsCommandsTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final FileCommands files = new FileCommands();
    private final TreeCommands tree = new TreeCommands();
    private final MountCommands mounts = new MountCommands();
    private final FallocateCommands fa = new FallocateCommands();

    VfsCommandsTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        files.vfs = vfs;
        tree.vfs = vfs;
        mounts.vfs = vfs;
        fa.vfs = vfs;
        tree.mkdir("-p", "/dev/shm");
        mounts.mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", "/dev/shm");
    }

    private static KernelException fails(Runnable r) {
        return assertThrows(KernelException.class, r::run);
    }

    @Test
    void fallocateCollapseOnTmpfsFailsLikeUtilLinuxAndLeavesTheFile() {
        fa.xfs_io(null, "-f", "-c", "pwrite -q -S 0x61 0 16k", "/dev/shm/f");
        KernelException e = fails(() -> fa.fallocate("-c", "-o", "4096", "-l", "4096", "/dev/shm/f"));
        assertEquals("fallocate failed: Operation not supported", e.getMessage());
        assertEquals(16384, vfs.stat("/dev/shm/f").size());
        assertEquals("aaaa", files.cat("/dev/shm/f").substring(0, 4));
        fa.fallocate("-p", "-o", "0", "-l", "4k", "/dev/shm/f");
        assertEquals(16384, vfs.stat("/dev/shm/f").size());
        fa.fallocate("-l", "1MiB", "/tmpfile");
        assertEquals(1 << 20, vfs.stat("/tmpfile").size());
        fa.fallocate("-n", "-o", "1M", "-l", "4096", "/tmpfile");
        assertEquals(1 << 20, vfs.stat("/tmpfile").size());
        assertEquals(
                "cannot open /nope: No such file or directory",
                fails(() -> fa.fallocate("-c", "-l", "4096", "/nope")).getMessage());
        assertEquals(
                Errno.EINVAL, fails(() -> fa.fallocate("-o", "0", "/dev/shm/f")).errno());
        assertEquals(
                Errno.EINVAL,
                fails(() -> fa.fallocate("-c", "-p", "-l", "1", "/dev/shm/f")).errno());
        assertEquals(
                Errno.ENOSPC,
                fails(() -> fa.fallocate("-l", "1M", "/dev/shm/big")).errno());
    }

    /** xfs_io prints its subcommand's perror line as it is: "fallocate: ...", never "xfs_io: fallocate: ...". */
    @Test
    void xfsIoFailureIsTheToolsOwnLine() {
        fa.xfs_io(null, "-f", "-c", "pwrite -q 0 8k", "/dev/shm/t");
        KernelException e = fails(() -> fa.xfs_io(null, "-c", "fcollapse 0 4k", "/dev/shm/t"));
        assertTrue(
                e instanceof org.kmodel.kernel.ToolErrorException, e.getClass().getName());
        assertEquals("fallocate: Operation not supported", e.getMessage());
    }

    /** dump_buffer shows only isalnum bytes; stat on tmpfs has no fsxattr lines; seek -a walks data then hole. */
    @Test
    void xfsIoAsciiColumnSeekAllAndStatAsXfsprogs61() {
        XfsIo.Result r = XfsIo.run(vfs, new String[] {
            "-f",
            "-c",
            "pwrite -q -S 0x41 0 4",
            "-c",
            "pwrite -q -S 0x2e 4 4",
            "-c",
            "pwrite -q -S 0x7e 8 4",
            "-c",
            "pwrite -q -S 0x20 12 4",
            "-c",
            "pread -v 0 16",
            "-c",
            "seek -a 0",
            "-c",
            "seek -s -a -r 0",
            "-c",
            "seek -h 100",
            "/dev/shm/a"
        });
        assertTrue(
                r.out().startsWith("00000000:  41 41 41 41 2e 2e 2e 2e 7e 7e 7e 7e 20 20 20 20  AAAA............\n"),
                r.out());
        assertTrue(
                r.out()
                        .endsWith("Whence\tResult\nDATA\t0\nHOLE\t16\nWhence\tStart\tResult\nDATA\t0\t0\n"
                                + "HOLE\t0\t16\nWhence\tResult\nHOLE\tEOF\n"),
                r.out());
        assertEquals(List.of(), r.errors());
    }

    @Test
    void xfsIoOutputMatchesTheRealTool() {
        XfsIo.Result r = XfsIo.run(vfs, new String[] {
            "-f",
            "-c",
            "pwrite -q -S 0x61 0 8k",
            "-c",
            "pread -v 4090 20",
            "-c",
            "fpunch 0 4k",
            "-c",
            "seek -d 0",
            "-c",
            "seek -h 4096",
            "-c",
            "fcollapse 0 4k",
            "-c",
            "fiemap",
            "-c",
            "stat",
            "/dev/shm/x"
        });
        String out = r.out();
        assertTrue(
                out.startsWith("00000ffa:  61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61  aaaaaaaaaaaaaaaa\n"
                        + "0000100a:  61 61 61 61  aaaa\nread 20/20 bytes at offset 4090\n20.000000 bytes, 1 ops; "),
                out);
        assertTrue(out.contains("Whence\tResult\nDATA\t4096\nWhence\tResult\nHOLE\t8192\n"), out);
        assertTrue(out.contains("fd.path = \"/dev/shm/x\"\nfd.flags = non-sync,non-direct,read-write\n"), out);
        assertTrue(out.contains("stat.type = regular file\nstat.size = 8192\nstat.blocks = 8\n"), out);
        assertEquals(
                List.of(
                        "fallocate: Operation not supported",
                        "xfs_io: ioctl(FS_IOC_FIEMAP) [\"/dev/shm/x\"]: Operation not supported"),
                r.errors());
        assertEquals(
                List.of("/nope: No such file or directory"),
                XfsIo.run(vfs, new String[] {"-c", "stat", "/nope"}).errors());
    }

    @Test
    void mmapSigbusThroughXfsIoEndsTheRun() {
        XfsIo.Result r = XfsIo.run(vfs, new String[] {
            "-f",
            "-c",
            "pwrite -q 0 8k",
            "-c",
            "mmap -rw 0 8k",
            "-c",
            "truncate 4096",
            "-c",
            "mread 4096 10",
            "-c",
            "stat",
            "/dev/shm/m"
        });
        assertTrue(r.killed());
        assertEquals(List.of("Bus error"), r.errors());
    }

    @Test
    void lsStatDfMountChattr() {
        files.write("/dev/shm/hello", "hello", "world");
        assertEquals("hello world", files.cat("/dev/shm/hello"));
        files.append("/dev/shm/hello", "again");
        assertEquals("hello world\nagain", files.cat("/dev/shm/hello"));
        assertEquals("hello", files.ls("/dev/shm"));
        assertTrue(
                files.ls("-l", "/dev/shm")
                        .matches("total 4\n-rw-r--r-- 1 root root 18 \\w{3} [ \\d]\\d \\d\\d:\\d\\d hello"),
                files.ls("-l", "/dev/shm"));
        StatReport report = (StatReport) files.stat("/dev/shm/hello");
        assertEquals(18, report.files().get(0).stat().size(), "the data: the VFS's Stat");
        assertFalse(report.json());
        // the one layout test of stat(1): the text the shell's converter prints
        String stat = (String) new org.kmodel.shell.internal.ShellConverter().format(report, 0, null);
        assertTrue(
                stat.startsWith("  File: /dev/shm/hello\n  Size: 18        \tBlocks: 8          IO Block: 4096   "
                        + "regular file\n"),
                stat);
        assertTrue(stat.contains("Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)"), stat);
        MountList list = mounts.mount();
        assertEquals(
                List.of("/", "/dev/shm"),
                list.mounts().stream().map(m -> m.target()).toList());
        assertEquals("rw,relatime,size=64k", list.mounts().get(1).options());
        // the one layout test of mount(8)'s list and of df(1)'s table: the text the shell's converter prints
        org.kmodel.shell.internal.ShellConverter converter = new org.kmodel.shell.internal.ShellConverter();
        assertEquals(
                "tmpfs on / type tmpfs (rw,relatime)\ntmpfs on /dev/shm type tmpfs (rw,relatime,size=64k)",
                converter.format(list, 0, null));
        DfReport df = mounts.df("/dev/shm");
        assertEquals(1, df.entries().size());
        assertEquals("/dev/shm", df.entries().get(0).mount().target());
        assertEquals(16, df.entries().get(0).statfs().blocks());
        assertEquals(15, df.entries().get(0).statfs().bavail());
        assertEquals(
                "Filesystem     1K-blocks Used Available Use% Mounted on\n"
                        + "tmpfs                 64    4        60   7% /dev/shm",
                converter.format(df, 0, null));
        assertEquals(converter.format(df, 0, null), df.toString());
        tree.chattr("+a", "/dev/shm/hello");
        assertEquals("-----a---------------- /dev/shm/hello", tree.lsattr("/dev/shm/hello"));
        assertEquals(
                Errno.EPERM, fails(() -> files.write("/dev/shm/hello", "x")).errno());
        assertEquals(
                Errno.EPERM,
                fails(() -> fa.fallocate("-p", "-l", "1", "/dev/shm/hello")).errno());
        tree.chattr("-a", "/dev/shm/hello");
        tree.mv("/dev/shm/hello", "/");
        tree.ln("-s", "/hello", "/dev/shm/link");
        assertEquals("hello world\nagain", files.cat("/dev/shm/link"));
        try (var open =
                vfs.open("/dev/shm/keep", org.kmodel.vfs.OpenFlags.O_CREAT | org.kmodel.vfs.OpenFlags.O_RDWR, 0644)) {
            assertEquals(
                    "/dev/shm: target is busy.: Device or resource busy",
                    fails(() -> mounts.umount("/dev/shm")).getMessage());
        }
        tree.rm("-r", "/dev/shm/link");
        mounts.umount("/dev/shm");
        assertEquals(
                List.of("/"),
                mounts.mount().mounts().stream().map(m -> m.target()).toList());
    }

    @Test
    void fiemapFormatsLikeXfsIo() {
        var extents = List.of(
                new org.kmodel.vfs.FiemapExtent(0, 35317907456L, 4096, 0),
                new org.kmodel.vfs.FiemapExtent(8192, 35317911552L, 8192, 0),
                new org.kmodel.vfs.FiemapExtent(16384, 35317899264L, 8192, 0x801));
        // the real xfs_io output on this machine's ext4 /tmp (pwrite 16k, falloc -k 16k 8k, fpunch 4k 4k)
        assertEquals(
                "x:\n"
                        + " EXT: FILE-OFFSET      BLOCK-RANGE        TOTAL FLAGS\n"
                        + "   0: [0..7]:          68980288..68980295     8   0x0\n"
                        + "   1: [8..15]:         hole                   8\n"
                        + "   2: [16..31]:        68980296..68980311    16   0x0\n"
                        + "   3: [32..47]:        68980272..68980287    16 0x801\n",
                XfsIoFormat.fiemap("x", extents, 0, 16384, true));
        assertEquals(
                "x:\n\t0: [0..7]: 68980288..68980295\n\t1: [8..15]: hole\n\t2: [16..31]: 68980296..68980311\n"
                        + "\t3: [32..47]: 68980272..68980287\n",
                XfsIoFormat.fiemap("x", extents, 0, 16384, false));
    }

    @Test
    void fallocateVerboseLikeUtilLinux() {
        // printed by util-linux 2.38.1 on this machine
        assertEquals("/vx: 4 KiB (4096 bytes) allocated.", fa.fallocate("-v", "-l", "4096", "/vx"));
        assertEquals("/vx: 9.8 KiB (10000 bytes) allocated.", fa.fallocate("-v", "-l", "10000", "/vx"));
        assertEquals(
                "/vx: 1 MiB (1048576 bytes) hole created.", fa.fallocate("-v", "-p", "-o", "0", "-l", "1M", "/vx"));
        assertEquals("/vx: 1.4 GiB (1500000000 bytes) allocated.", fa.fallocate("-v", "-n", "-l", "1500000000", "/vx"));
    }

    @Test
    void sizesAndTruncate() {
        assertEquals(4096, Getopt.size("4k", "length"));
        assertEquals(4096, Getopt.size("4KiB", "length"));
        assertEquals(4000, Getopt.size("4KB", "length"));
        assertEquals(1L << 30, Getopt.size("1G", "length"));
        assertEquals(Errno.EINVAL, fails(() -> Getopt.size("4q", "length")).errno());
        files.truncate("-s", "10k", "/t");
        assertEquals(10240, vfs.stat("/t").size());
        files.truncate("-s", "-4k", "/t");
        assertEquals(6144, vfs.stat("/t").size());
        files.touch("/t2");
        assertEquals(0, vfs.stat("/t2").size());
    }

    @Test
    void jsonFormsCarryTheData() {
        files.write("/dev/shm/j", "abc");
        StatReport jr = (StatReport) files.stat("--json", "/dev/shm/j");
        assertTrue(jr.json());
        assertEquals(4, jr.files().get(0).stat().size());
        String stat = jr.toString();
        assertTrue(stat.startsWith("[{"), stat);
        assertTrue(stat.contains("\"file\":\"/dev/shm/j\"") && stat.contains("\"size\":4"), stat);
        MountList list = mounts.mount("--json");
        assertTrue(list.json());
        String table = list.toString();
        assertTrue(table.contains("\"target\":\"/dev/shm\"") && table.contains("\"fsType\":\"tmpfs\""), table);
        assertTrue(mounts.df("--json", "/dev/shm").json());
        String df = mounts.df("--json", "/dev/shm").toString();
        assertTrue(df.contains("\"mountpoint\":\"/dev/shm\"") && df.contains("\"bsize\":4096"), df);
        assertEquals(Errno.EINVAL, fails(() -> mounts.df("--bogus")).errno());
    }
}
