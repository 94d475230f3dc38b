package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kmodel.vfs.FallocateMode.COLLAPSE_RANGE;
import static org.kmodel.vfs.FallocateMode.INSERT_RANGE;
import static org.kmodel.vfs.FallocateMode.KEEP_SIZE;
import static org.kmodel.vfs.FallocateMode.PUNCH_HOLE;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kmodel.vfs.FileMapping;
import org.kmodel.vfs.Mmap;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.SigbusException;

/** docs/vfs.md#page-cache-around-fallocate on a filesystem that supports shifts: dirty data and mappings follow a collapse/insert. */
class Issue6PageCacheCoherenceTest {
    private static final int PS = 4096;
    private final Fixture fx = new Fixture();

    private static byte[] fill(int b) {
        byte[] p = new byte[PS];
        Arrays.fill(p, (byte) b);
        return p;
    }

    /** A 6-page file, page i filled with byte 'A'+i, written back. */
    private OpenFile sixPages() {
        OpenFile f = fx.vfs.open("/f", org.kmodel.vfs.OpenFlags.O_RDWR | org.kmodel.vfs.OpenFlags.O_CREAT, 0644);
        for (int i = 0; i < 6; i++) {
            f.pwrite((long) i * PS, fill('A' + i), 0, PS);
        }
        f.fsync();
        return f;
    }

    @Test
    void dirtyBufferedWriteIsPreservedAndShifted() {
        OpenFile f = sixPages();
        f.pwrite(4L * PS, fill('x'), 0, PS); // dirty, not written back
        f.fallocate(COLLAPSE_RANGE, PS, PS);
        assertEquals(5L * PS, f.fstat().size());
        assertArrayEquals(fill('x'), Fixture.read(f, 3L * PS, PS));
        assertArrayEquals(fill('C'), Fixture.read(f, PS, PS));
    }

    @Test
    void sharedMappingSeesShiftedDataAndSigbusPastNewEof() {
        OpenFile f = sixPages();
        FileMapping m = f.mmap(0, 6L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
        assertArrayEquals(fill('B'), m.read(PS, PS));
        m.write(3L * PS, fill('m')); // dirty mmap store, no msync
        f.fallocate(COLLAPSE_RANGE, PS, PS);
        assertArrayEquals(fill('C'), m.read(PS, PS));
        assertArrayEquals(fill('m'), m.read(2L * PS, PS));
        SigbusException e = assertThrows(SigbusException.class, () -> m.read(5L * PS, 1));
        assertEquals(5L * PS, e.address());
    }

    @Test
    void insertMovesStoreRightAndOldPastEofPageShowsData() {
        OpenFile f = sixPages();
        f.ftruncate(5L * PS);
        FileMapping m = f.mmap(0, 6L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
        assertThrows(SigbusException.class, () -> m.read(5L * PS, 1));
        m.write(2L * PS, fill('s'));
        f.fallocate(INSERT_RANGE, PS, PS);
        assertArrayEquals(new byte[PS], m.read(PS, PS));
        assertArrayEquals(fill('s'), m.read(3L * PS, PS));
        assertArrayEquals(fill('E'), m.read(5L * PS, PS));
    }

    @Test
    void punchZeroesSharedMappingButKeepsPrivateCopies() {
        OpenFile f = sixPages();
        FileMapping shared = f.mmap(0, 6L * PS, Mmap.PROT_READ, Mmap.MAP_SHARED);
        FileMapping priv = f.mmap(0, 6L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_PRIVATE);
        priv.write(PS, fill('p'));
        f.fallocate(PUNCH_HOLE | KEEP_SIZE, PS, 2L * PS);
        assertArrayEquals(new byte[PS], shared.read(PS, PS));
        assertArrayEquals(new byte[PS], shared.read(2L * PS, PS));
        assertArrayEquals(fill('p'), priv.read(PS, PS));
        assertArrayEquals(fill('A'), Fixture.read(f, 0, PS), "private store leaked into the file");
    }

    @Test
    void collapseDiscardsPrivateCopiesLikeExt4() {
        OpenFile f = sixPages();
        FileMapping priv = f.mmap(0, 6L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_PRIVATE);
        priv.write(3L * PS, fill('p'));
        priv.write(5L * PS, fill('q'));
        f.fallocate(COLLAPSE_RANGE, PS, PS);
        assertArrayEquals(fill('E'), priv.read(3L * PS, PS));
        assertThrows(SigbusException.class, () -> priv.read(5L * PS, 1));
    }

    @Test
    void partialLastPageReadsZeroPastEofAndExtensionNeverExposesOldBytes() {
        OpenFile f = sixPages();
        FileMapping m = f.mmap(0, 6L * PS, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED);
        f.ftruncate(5L * PS + 100);
        assertArrayEquals(new byte[PS - 100], m.read(5L * PS + 100, PS - 100));
        m.write(
                5L * PS + 200,
                Arrays.copyOf(fill('z'), 100)); // store past EOF inside the last page (fsx EOF pollution)
        f.ftruncate(6L * PS);
        assertArrayEquals(new byte[PS - 100], Fixture.read(f, 5L * PS + 100, PS - 100));
    }

    @Test
    void unlinkedOpenFileKeepsDataUntilClose() {
        OpenFile f = sixPages();
        fx.vfs.unlink("/f");
        assertArrayEquals(fill('C'), Fixture.read(f, 2L * PS, PS));
        assertEquals(0, f.fstat().nlink());
        f.close();
    }
}
