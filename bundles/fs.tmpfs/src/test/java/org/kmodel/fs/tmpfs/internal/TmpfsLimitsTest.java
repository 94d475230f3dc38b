package org.kmodel.fs.tmpfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmodel.fs.tmpfs.internal.TmpfsFixture.errno;
import static org.kmodel.vfs.FallocateMode.KEEP_SIZE;
import static org.kmodel.vfs.FallocateMode.PUNCH_HOLE;

import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.Whence;

/** {@code -o size=}, {@code nr_inodes=}, ENOSPC and what statfs and /proc/mounts show. */
class TmpfsLimitsTest {
    private final TmpfsFixture fx = new TmpfsFixture();

    private void mountSmall(String options) {
        fx.vfs.mkdir("/small", 0755);
        fx.vfs.mount("tmpfs", "/small", "tmpfs", options);
    }

    @Test
    void fallocateEnospcIsAllOrNothing() {
        mountSmall("size=2g");
        OpenFile f = fx.create("/small/f");
        assertEquals(Errno.ENOSPC, errno(() -> f.fallocate(0, 0, 4L << 30))); // a.enospc
        assertEquals(0, f.fstat().size());
        assertEquals(0, f.fstat().blocks());
        f.fallocate(0, 0, 1L << 30);
        OpenFile g = fx.create("/small/g");
        assertEquals(Errno.ENOSPC, errno(() -> g.fallocate(KEEP_SIZE, 0, 1536L << 20))); // 1.5G into a half-full 2G
        assertEquals(0, g.fstat().blocks());
        StatFs st = fx.vfs.statfs("/small");
        assertEquals(2L << 30, st.blocks() * st.bsize());
        assertEquals(1L << 30, st.bfree() * st.bsize());
    }

    @Test
    void writeFailsWithEnospcAtTheFirstPageThatDoesNotFit() {
        mountSmall("size=16k");
        OpenFile f = fx.create("/small/f");
        byte[] big = new byte[20000];
        assertEquals(16384, f.pwrite(0, big, 0, big.length), "short write up to the limit");
        assertEquals(Errno.ENOSPC, errno(() -> f.pwrite(16384, big, 0, 10)));
        assertEquals(16384, f.fstat().size());
        f.fallocate(PUNCH_HOLE | KEEP_SIZE, 0, 4096); // punching frees space
        f.pwrite(16384, big, 0, 10);
        assertEquals(16394, f.fstat().size());
    }

    @Test
    void inodeLimitAndOptions() {
        mountSmall("size=64k,nr_inodes=2,mode=1777");
        fx.create("/small/a").close();
        assertEquals(Errno.ENOSPC, errno(() -> fx.create("/small/b")));
        String line = fx.vfs.mounts().get(1).procLine();
        assertEquals("tmpfs /small tmpfs rw,relatime,size=64k,nr_inodes=2,mode=1777 0 0", line);
        fx.vfs.mkdir("/bad", 0755);
        assertEquals(Errno.EINVAL, errno(() -> fx.vfs.mount("tmpfs", "/bad", "tmpfs", "size=lots")));
        assertEquals(Errno.EINVAL, errno(() -> fx.vfs.mount("tmpfs", "/bad", "tmpfs", "colour=blue")));
    }

    @Test
    void fallocatedPagesStayHolesUntilWrittenAndReadZero() {
        OpenFile f = fx.create("/f");
        f.fallocate(0, 0, 8192);
        byte[] b = new byte[8192];
        f.pread(0, b, 0, b.length);
        assertTrue(java.util.Arrays.equals(new byte[8192], b));
        assertEquals(Errno.ENXIO, errno(() -> f.lseek(0, Whence.SEEK_DATA)), "reading does not make them data");
        assertEquals(16, f.fstat().blocks());
        f.pwrite(4096, new byte[] {1}, 0, 1);
        assertEquals(4096, f.lseek(0, Whence.SEEK_DATA));
        f.fsync();
        assertEquals(4096, f.lseek(0, Whence.SEEK_DATA));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> f.fiemap(0, 8192)));
    }

    @Test
    void unlinkFreesSpaceOnlyAfterLastClose() {
        mountSmall("size=16k");
        OpenFile f = fx.vfs.open("/small/f", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
        f.fallocate(0, 0, 16384);
        fx.vfs.unlink("/small/f");
        assertEquals(0, fx.vfs.statfs("/small").bfree());
        f.close();
        assertEquals(4, fx.vfs.statfs("/small").bfree());
    }
}
