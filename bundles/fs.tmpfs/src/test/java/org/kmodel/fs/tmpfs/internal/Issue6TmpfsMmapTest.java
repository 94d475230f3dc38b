package org.kmodel.fs.tmpfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kmodel.vfs.FallocateMode.COLLAPSE_RANGE;
import static org.kmodel.vfs.FallocateMode.INSERT_RANGE;
import static org.kmodel.vfs.FallocateMode.KEEP_SIZE;
import static org.kmodel.vfs.FallocateMode.PUNCH_HOLE;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.vfs.FileMapping;
import org.kmodel.vfs.Mmap;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.SigbusException;

/** The page-cache rules of docs/vfs.md on tmpfs: shifts are refused so mappings are untouched; punch is seen at once. */
class Issue6TmpfsMmapTest {
    private static final int PS = 4096;
    private final TmpfsFixture fx = new TmpfsFixture();

    private static byte[] fill(int b) {
        byte[] p = new byte[PS];
        Arrays.fill(p, (byte) b);
        return p;
    }

    private OpenFile sixPages() {
        OpenFile f = fx.create("/f");
        for (int i = 0; i < 6; i++) {
            f.pwrite((long) i * PS, fill('A' + i), 0, PS);
        }
        return f;
    }

    @Test
    void collapseAndInsertAreRefusedAndMappingsKeepTheirView() {
        OpenFile f = sixPages();
        FileMapping shared = f.mmap(0, 6L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
        FileMapping priv = f.mmap(0, 6L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_PRIVATE);
        shared.write(3L * PS, fill('s'));
        priv.write(4L * PS, fill('p'));
        assertEquals(Errno.EOPNOTSUPP, TmpfsFixture.errno(() -> f.fallocate(COLLAPSE_RANGE, PS, PS)));
        assertEquals(Errno.EOPNOTSUPP, TmpfsFixture.errno(() -> f.fallocate(INSERT_RANGE, PS, PS)));
        assertArrayEquals(fill('B'), shared.read(PS, PS));
        assertArrayEquals(fill('s'), shared.read(3L * PS, PS));
        assertArrayEquals(fill('p'), priv.read(4L * PS, PS), "private copy kept: nothing was invalidated");
        assertArrayEquals(fill('F'), shared.read(5L * PS, PS));
    }

    @Test
    void punchZeroesTheSharedMappingAndKeepsPrivateCopies() {
        OpenFile f = sixPages();
        FileMapping shared = f.mmap(0, 6L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
        FileMapping priv = f.mmap(0, 6L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_PRIVATE);
        shared.write(2L * PS, fill('s')); // dirty, then punched: zeros win
        priv.write(PS, fill('p'));
        f.fallocate(PUNCH_HOLE | KEEP_SIZE, PS, 2L * PS);
        assertArrayEquals(new byte[PS], shared.read(PS, PS));
        assertArrayEquals(new byte[PS], shared.read(2L * PS, PS));
        assertArrayEquals(fill('p'), priv.read(PS, PS));
        assertEquals(32, f.fstat().blocks(), "two pages freed");
    }

    @Test
    void truncateUnderAMappingRaisesSigbus() {
        OpenFile f = sixPages();
        FileMapping shared = f.mmap(0, 6L * PS, Mmap.PROT_READ, Mmap.MAP_SHARED);
        f.ftruncate(4L * PS + 1);
        assertArrayEquals(new byte[PS - 1], shared.read(4L * PS + 1, PS - 1));
        assertThrows(SigbusException.class, () -> shared.read(5L * PS, 1));
    }
}
