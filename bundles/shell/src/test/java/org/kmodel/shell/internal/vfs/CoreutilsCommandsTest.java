package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/** cp, du, hexdump -C and stat -c over the real VFS and tmpfs; layouts as the real tools print them. */
class CoreutilsCommandsTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final CoreutilsCommands cu = new CoreutilsCommands();
    private final FileCommands files = new FileCommands();
    private final TreeCommands tree = new TreeCommands();

    CoreutilsCommandsTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        cu.vfs = vfs;
        files.vfs = vfs;
        tree.vfs = vfs;
    }

    @Test
    void hexdumpCanonicalLayout() {
        assertEquals("""
                00000000  68 65 6c 6c 6f 0a                                 |hello.|
                00000006""", CoreutilsCommands.canonical("hello\n".getBytes(), 0));
        assertEquals("""
                00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|
                *
                00000030  41                                                |A|
                00000031""", CoreutilsCommands.canonical(with(new byte[49], 48, (byte) 'A'), 0));
        files.write("/f", "abc");
        assertEquals(
                "00000001  62 63 0a                                          |bc.|\n00000004",
                cu.hexdump("-C", "-s", "1", "/f"));
    }

    private static byte[] with(byte[] b, int i, byte v) {
        b[i] = v;
        return b;
    }

    @Test
    void cpCopiesIntoFilesAndDirectoriesAndRefusesDirectories() {
        files.write("/a", "data");
        tree.mkdir("/d");
        cu.cp("/a", "/b");
        cu.cp("/a", "/d");
        assertEquals("data", files.cat("/b"));
        assertEquals("data", files.cat("/d/a"));
        KernelException e = assertThrows(KernelException.class, () -> cu.cp("/nope", "/c"));
        assertEquals("cannot stat '/nope': No such file or directory", e.getMessage());
        assertEquals(
                Errno.EISDIR,
                assertThrows(KernelException.class, () -> cu.cp("/d", "/e")).errno());
        assertFalse(files.ls("/").contains("c\n"));
    }

    @Test
    void duSumsBlocks() {
        tree.mkdir("/d");
        files.write("/d/x", "1");
        // one 4K page for x; a tmpfs directory has no blocks of its own
        assertEquals("4\t/d/x\n4\t/d", cu.du("-a", "/d"));
        assertEquals("4\t/d", cu.du("/d"));
        assertEquals("4\t/d", cu.du("-s", "/d"));
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> cu.du("/nope")).errno());
    }

    @Test
    void statFormatDirectives() {
        files.write("/s", "12345");
        assertEquals("/s 6 regular file 644", files.stat("-c", "%n %s %F %a", "/s"));
        assertEquals("6|-rw-r--r--\n", files.stat("--printf", "%s|%A\\n", "/s"));
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> files.stat("-c", "%q", "/s"))
                        .errno());
    }

    @Test
    void fallocateDigHolesVersionHelp() {
        FallocateCommands fa = new FallocateCommands();
        fa.vfs = vfs;
        fa.xfs_io(null, "-f", "-c", "pwrite -q -S 0 0 16k", "-c", "pwrite -q -S 0x61 4096 10", "/z");
        long before = vfs.stat("/z").blocks();
        assertEquals("/z: 12 KiB (12288 bytes) converted to sparse holes.", fa.fallocate("-d", "-v", "/z"));
        assertEquals(16384, vfs.stat("/z").size());
        assertEquals(before - 24, vfs.stat("/z").blocks());
        assertEquals("fallocate from util-linux 2.39.3 (kmodel)", fa.fallocate("-V"));
        assertEquals(true, fa.fallocate("--help").startsWith("Usage:"));
    }

    /**
     * ls -R as GNU ls prints it (coreutils 9.1 on this tree, output not a terminal): every directory under a
     * "path:" header after a blank line, depth first in name order, a symbolic link to a directory not followed.
     */
    @Test
    void lsRecursiveAsGnuLs() {
        tree.mkdir("-p", "/lsr/d1/sub", "/lsr/d2");
        files.touch("/lsr/a", "/lsr/d1/b", "/lsr/d1/sub/c");
        tree.ln("-s", "/lsr/d1", "/lsr/link");
        assertEquals("""
                /lsr:
                a
                d1
                d2
                link

                /lsr/d1:
                b
                sub

                /lsr/d1/sub:
                c

                /lsr/d2:""", files.ls("-R", "/lsr"));
        assertEquals("""
                /lsr/d1:
                b
                sub

                /lsr/d1/sub:
                c""", files.ls("--recursive", "/lsr/d1"));
        assertEquals("/lsr/d1", files.ls("-R", "-d", "/lsr/d1"), "-d lists the directory itself, not its tree");
    }
}
