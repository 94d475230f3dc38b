package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kmodel.vfs.FallocateMode.KEEP_SIZE;
import static org.kmodel.vfs.FallocateMode.PUNCH_HOLE;
import static org.kmodel.vfs.internal.Fixture.errno;

import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Whence;

/** SEEK_DATA/SEEK_HOLE rules of docs/vfs.md on an ext4-like filesystem. */
class SeekDataHoleTest {
    private static final long K = 1024;
    private final Fixture fx = new Fixture();

    @Test
    void punchedHoleIsFound() {
        OpenFile f = fx.pattern("/f", 64 * K);
        f.fallocate(PUNCH_HOLE | KEEP_SIZE, 4 * K, 8 * K); // p.mid: data 0-4K, 12K-64K
        assertEquals(0, f.lseek(0, Whence.SEEK_DATA));
        assertEquals(4 * K, f.lseek(0, Whence.SEEK_HOLE));
        assertEquals(12 * K, f.lseek(4 * K, Whence.SEEK_DATA));
        assertEquals(64 * K, f.lseek(12 * K, Whence.SEEK_HOLE));
        assertEquals(Errno.ENXIO, errno(() -> f.lseek(64 * K, Whence.SEEK_DATA)));
        assertEquals(Errno.ENXIO, errno(() -> f.lseek(64 * K, Whence.SEEK_HOLE)));
    }

    @Test
    void unwrittenIsHoleWhenColdAndDataWhenCached() {
        OpenFile f = fx.vfs.open("/u", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
        f.fallocate(0, 0, 1100); // a.unal.empty: allocated, unwritten
        assertEquals(Errno.ENXIO, errno(() -> f.lseek(0, Whence.SEEK_DATA)));
        byte[] b = new byte[1100];
        f.pread(0, b, 0, b.length); // cat file: the page becomes uptodate in the cache
        assertEquals(0, f.lseek(0, Whence.SEEK_DATA));
        fx.vfs.dropCaches();
        assertEquals(Errno.ENXIO, errno(() -> f.lseek(0, Whence.SEEK_DATA)));
    }

    @Test
    void dirtyPageOverHoleIsData() {
        OpenFile f = fx.vfs.open("/d", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
        f.ftruncate(64 * K);
        f.pwrite(32 * K, new byte[] {1}, 0, 1);
        assertEquals(32 * K, f.lseek(0, Whence.SEEK_DATA));
        assertEquals(36 * K, f.lseek(32 * K, Whence.SEEK_HOLE));
    }
}
