package org.kmodel.fs.tmpfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kmodel.vfs.FallocateMode.KEEP_SIZE;
import static org.kmodel.vfs.FallocateMode.PUNCH_HOLE;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kmodel.vfs.FileMapping;
import org.kmodel.vfs.Mmap;
import org.kmodel.vfs.OpenFile;

/** No byte a file did not write may ever be read back (docs/testing.md#stale-data-and-crashes, docs/vfs.md#stale-data). */
class TmpfsStaleDataTest {
    private static final int PS = 4096;
    private final TmpfsFixture fx = new TmpfsFixture();

    private static byte[] secret(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'S');
        return b;
    }

    @Test
    void punchedThenReallocatedPagesReadZero() {
        OpenFile f = fx.create("/f");
        f.pwrite(0, secret(4 * PS), 0, 4 * PS);
        f.fsync();
        f.fallocate(PUNCH_HOLE | KEEP_SIZE, PS, 2L * PS);
        f.fallocate(0, PS, 2L * PS);
        byte[] mid = new byte[2 * PS];
        f.pread(PS, mid, 0, mid.length);
        assertArrayEquals(new byte[2 * PS], mid);
    }

    @Test
    void truncateDownThenUpReadsZeroEvenAfterAStorePastEof() {
        OpenFile f = fx.create("/f");
        f.pwrite(0, secret(2 * PS), 0, 2 * PS);
        FileMapping m = f.mmap(0, 2L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
        f.ftruncate(PS + 10);
        m.write(PS + 100, secret(50)); // lands past EOF inside the last page: must never become file data
        f.fsync();
        f.ftruncate(2L * PS);
        byte[] tail = new byte[PS - 10];
        f.pread(PS + 10, tail, 0, tail.length);
        assertArrayEquals(new byte[PS - 10], tail);
    }

    @Test
    void deletedFilesPagesAreNotVisibleToTheNextFile() {
        OpenFile f = fx.create("/old");
        f.pwrite(0, secret(8 * PS), 0, 8 * PS);
        f.fsync();
        f.close();
        fx.vfs.unlink("/old");
        OpenFile g = fx.create("/new");
        g.fallocate(0, 0, 8L * PS);
        g.ftruncate(16L * PS);
        byte[] all = new byte[16 * PS];
        g.pread(0, all, 0, all.length);
        assertArrayEquals(new byte[16 * PS], all);
    }
}
