package org.kmodel.shell.internal.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 12 items 6, 9 and 10 for xfs_io: bad option values give xfsprogs' own messages (checked against
 * xfs_io 6.1 on the host), never Java exception text, never a hang, and the file stays as it was.
 */
class Issue12XfsIoBadInputTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());

    Issue12XfsIoBadInputTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
    }

    private XfsIo.Result run(String cmd) {
        return XfsIo.run(vfs, new String[] {"-f", "-c", cmd, "/f"});
    }

    /** Item 6: -b 0 used to loop forever; xfs_io writes nothing in 0 ops and succeeds. */
    @Test
    @Timeout(30)
    void item6PwriteBlockSizeZeroWritesNothingAndReturns() {
        XfsIo.Result r = run("pwrite -b 0 0 4k");
        assertEquals(List.of(), r.errors());
        assertTrue(r.out().startsWith("wrote 0/4096 bytes at offset 0\n0.000000 bytes, 0 ops;"), r.out());
        assertEquals(0, vfs.stat("/f").size());
    }

    /** Item 6: -b 4g used to be cut to int 0 (a hang); it is one call of the whole 4 KiB, with no 4 GiB buffer. */
    @Test
    @Timeout(30)
    void item6PwriteBlockSize4gIsOneCall() {
        XfsIo.Result r = run("pwrite -b 4g 0 4k");
        assertEquals(List.of(), r.errors());
        assertTrue(r.out().startsWith("wrote 4096/4096 bytes at offset 0\n4 KiB, 1 ops;"), r.out());
        XfsIo.Result r2 = run("pwrite -b 4k 0 16k");
        assertTrue(r2.out().contains("16 KiB, 4 ops;"), r2.out());
    }

    @Test
    void item6BadBlockSizesAreNonNumeric() {
        assertEquals(
                List.of("non-numeric bsize -- -5"), run("pwrite -b -5 0 4k").errors());
        assertEquals(
                List.of("non-numeric bsize -- 1x"), run("pwrite -b 1x 0 4k").errors());
        assertEquals(0, vfs.stat("/f").size());
    }

    /** Item 9: -S takes strtoul's numeric prefix ("0xZZ" is 0, as xfs_io does); no digit at all is refused. */
    @Test
    void item9PwriteSeed() {
        assertEquals(List.of(), run("pwrite -q -S 0xZZ 0 4").errors());
        assertEquals(List.of("non-numeric seed -- ZZ"), run("pwrite -S ZZ 4 4").errors());
        assertEquals(4, vfs.stat("/f").size());
        assertEquals(Integer.valueOf(0xff), XfsIo.seed("0x1ff"));
        assertEquals(Integer.valueOf(8), XfsIo.seed("010"));
    }

    /** Items 9 and 10: a negative length is an unknown option letter to getopt, before any I/O. */
    @Test
    void item9And10NegativeLengthsAreInvalidOptions() {
        XfsIo.Result r = run("pread 0 -1");
        assertEquals(List.of("pread: invalid option -- '1'"), r.errors());
        XfsIo.Result w = run("pwrite 0 -1");
        assertEquals(List.of("pwrite: invalid option -- '1'"), w.errors());
        assertFalse(w.out().contains("wrote"), w.out());
    }

    /** Item 9: mmap without arguments lists mappings, or says there are none (was: Index 0 out of bounds). */
    @Test
    void item9MmapWithoutArguments() {
        assertEquals(List.of("no mapped regions, try 'help mmap'"), run("mmap").errors());
        XfsIo.Result r = XfsIo.run(vfs, new String[] {
            "-f",
            "-c",
            "pwrite -q 0 8k",
            "-c",
            "mmap -r 0 4096",
            "-c",
            "mmap",
            "-c",
            "mread 0 -1",
            "-c",
            "mread 0 8192",
            "/g"
        });
        assertTrue(r.out().matches("(?s)\\[000\\] 0x[0-9a-f]+ - 0x[0-9a-f]+ r--\\s+/g \\(0 : 4096\\)\n"), r.out());
        assertEquals(
                List.of("mread: invalid option -- '1'", "mread: length (8192) is beyond end of mapping"), r.errors());
    }
}
