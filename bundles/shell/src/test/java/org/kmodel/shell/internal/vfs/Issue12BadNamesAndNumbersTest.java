package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 12, item 10: mknod with negative or oversized device numbers, NUL bytes in names, control characters
 * in ls output. Each refusal is checked to leave the namespace as it was.
 */
class Issue12BadNamesAndNumbersTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final FileCommands files = new FileCommands();
    private final TreeCommands tree = new TreeCommands();

    Issue12BadNamesAndNumbersTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        files.vfs = vfs;
        tree.vfs = vfs;
        tree.mkdir("/d");
    }

    private static KernelException fails(Runnable r) {
        return assertThrows(KernelException.class, r::run);
    }

    @Test
    void mknodRefusesNegativeAndNonNumericNumbersLikeCoreutils() {
        // coreutils 9.1: "mknod: invalid major device number '-1'", status 1
        assertEquals(
                "invalid major device number '-1': Invalid argument",
                fails(() -> tree.mknod("/d/n", "c", "-1", "-1")).getMessage());
        assertEquals(
                "invalid minor device number '-1': Invalid argument",
                fails(() -> tree.mknod("/d/n", "c", "1", "-1")).getMessage());
        assertEquals(
                "invalid major device number 'x': Invalid argument",
                fails(() -> tree.mknod("/d/n", "b", "x", "1")).getMessage());
        assertEquals(
                "invalid major device number '99999999999999999999': Invalid argument",
                fails(() -> tree.mknod("/d/n", "c", "99999999999999999999", "1"))
                        .getMessage());
        assertEquals("", files.ls("/d"));
    }

    @Test
    void mknodRefusesNumbersTheKernelsDevTCannotHold() {
        // the real `mknod x c 4096 0` and `mknod x c 1 1048576`: "mknod: x: Invalid argument"
        assertEquals(
                Errno.EINVAL, fails(() -> tree.mknod("/d/n", "c", "4096", "0")).errno());
        assertEquals(
                Errno.EINVAL,
                fails(() -> tree.mknod("/d/n", "c", "1", "1048576")).errno());
        assertEquals("", files.ls("/d"));
        // the largest numbers that fit, and hex/octal as xstrtoumax reads them
        tree.mknod("/d/big", "c", "4095", "1048575");
        assertEquals(
                "4095,1048575", files.stat("/d/big").toString().replaceAll("(?s).*Device type: (\\d+,\\d+).*", "$1"));
        tree.mknod("/d/hex", "b", "0x8", "010");
        assertEquals("8,8", files.stat("/d/hex").toString().replaceAll("(?s).*Device type: (\\d+,\\d+).*", "$1"));
    }

    @Test
    void nulInANameIsInvalidArgumentAndCreatesNothing() {
        assertEquals(Errno.EINVAL, fails(() -> tree.mkdir("/d/a\0b")).errno());
        assertEquals(Errno.EINVAL, fails(() -> files.touch("/d/a\0b")).errno());
        assertEquals(Errno.EINVAL, fails(() -> tree.mknod("/d/p\0", "p")).errno());
        assertEquals(Errno.EINVAL, fails(() -> files.stat("/d\0/x")).errno());
        assertEquals("", files.ls("/d"));
    }

    @Test
    void lsPrintsNamesLiterallyLikeGnuLsToANonTerminalAndHidesOrEscapesOnRequest() {
        files.touch("/d/a\u0001\tb c");
        assertEquals("a\u0001\tb c", files.ls("/d"));
        assertEquals("a??b c", files.ls("-q", "/d"));
        assertEquals("a??b c", files.ls("--hide-control-chars", "/d"));
        // coreutils 9.1 `ls -b`: hp\ a\001\tb for "hp a\001\tb"
        assertEquals("a\\001\\tb\\ c", files.ls("-b", "/d"));
        assertEquals("a\\001\\tb\\ c", files.ls("--escape", "/d"));
        assertEquals(true, files.ls("-l", "-q", "/d").endsWith(" a??b c"));
    }
}
