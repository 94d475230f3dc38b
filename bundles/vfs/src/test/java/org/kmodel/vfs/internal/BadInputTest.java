package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kmodel.vfs.internal.Fixture.errno;

import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.vfs.InodeFlags;
import org.kmodel.vfs.Mmap;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Whence;

/** Issue 6 "bad input": the kernel's errno, and nothing changes. */
class BadInputTest {
    private final Fixture fx = new Fixture();

    @Test
    void accessModesAndDirectories() {
        fx.pattern("/f", 8192).close();
        fx.vfs.mkdir("/d", 0755);
        OpenFile ro = fx.vfs.open("/f", OpenFlags.O_RDONLY, 0);
        OpenFile wo = fx.vfs.open("/f", OpenFlags.O_WRONLY, 0);
        assertEquals(Errno.EBADF, errno(() -> ro.write(new byte[1], 0, 1)));
        assertEquals(Errno.EBADF, errno(() -> wo.read(new byte[1], 0, 1)));
        assertEquals(Errno.EINVAL, errno(() -> ro.ftruncate(0)));
        assertEquals(Errno.EISDIR, errno(() -> fx.vfs.open("/d", OpenFlags.O_WRONLY, 0)));
        assertEquals(Errno.EISDIR, errno(() -> fx.vfs.truncate("/d", 0)));
        assertEquals(
                Errno.EISDIR,
                errno(() -> fx.vfs.open("/d", OpenFlags.O_RDONLY, 0).read(new byte[1], 0, 1)));
        assertEquals(Errno.ENOTDIR, errno(() -> fx.vfs.open("/f/x", OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644)));
        assertEquals(Errno.EEXIST, errno(() -> fx.vfs.open("/f", OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0644)));
        assertEquals(Errno.EACCES, errno(() -> wo.mmap(0, 4096, Mmap.PROT_READ, Mmap.MAP_SHARED)));
        assertEquals(Errno.EACCES, errno(() -> ro.mmap(0, 4096, Mmap.PROT_WRITE, Mmap.MAP_SHARED)));
        assertEquals(Errno.EINVAL, errno(() -> ro.mmap(100, 4096, Mmap.PROT_READ, Mmap.MAP_SHARED)));
        assertEquals(8192, fx.vfs.stat("/f").size());
    }

    @Test
    void offsets() {
        OpenFile f = fx.pattern("/f", 8192);
        assertEquals(Errno.EINVAL, errno(() -> f.lseek(-1, Whence.SEEK_SET)));
        assertEquals(Errno.EINVAL, errno(() -> f.pwrite(-1, new byte[1], 0, 1)));
        assertEquals(Errno.EINVAL, errno(() -> f.pread(-1, new byte[1], 0, 1)));
        assertEquals(Errno.EINVAL, errno(() -> f.ftruncate(-1)));
        assertEquals(Errno.EFBIG, errno(() -> f.ftruncate(1L << 50)));
        assertEquals(Errno.EINVAL, errno(() -> f.lseek(Long.MAX_VALUE, Whence.SEEK_END)));
        assertEquals(Errno.EINVAL, errno(() -> f.lseek((1L << 44) + 1, Whence.SEEK_SET))); // past s_maxbytes
        assertEquals(Errno.EINVAL, errno(() -> f.lseek(0, 7)));
        fx.vfs.setRlimitFsize(8192);
        assertEquals(Errno.EFBIG, errno(() -> f.pwrite(8192, new byte[1], 0, 1)));
        assertEquals(8192, f.fstat().size());
    }

    @Test
    void immutableAndAppendOnlyFiles() {
        fx.pattern("/f", 8192).close();
        fx.vfs.setFlags("/f", InodeFlags.IMMUTABLE);
        assertEquals(Errno.EPERM, errno(() -> fx.vfs.open("/f", OpenFlags.O_WRONLY, 0)));
        assertEquals(Errno.EPERM, errno(() -> fx.vfs.unlink("/f")));
        assertEquals(Errno.EPERM, errno(() -> fx.vfs.rename("/f", "/g")));
        assertEquals(Errno.EPERM, errno(() -> fx.vfs.link("/f", "/g")));
        assertEquals(Errno.EPERM, errno(() -> fx.vfs.truncate("/f", 0)));
        fx.vfs.setFlags("/f", InodeFlags.APPEND);
        assertEquals(Errno.EPERM, errno(() -> fx.vfs.open("/f", OpenFlags.O_WRONLY, 0)));
        assertEquals(
                Errno.EPERM,
                errno(() -> fx.vfs.open("/f", OpenFlags.O_WRONLY | OpenFlags.O_APPEND | OpenFlags.O_TRUNC, 0)));
        OpenFile a = fx.vfs.open("/f", OpenFlags.O_WRONLY | OpenFlags.O_APPEND, 0);
        a.pwrite(0, new byte[] {1}, 0, 1); // O_APPEND: lands at EOF whatever the offset
        assertEquals(8193, a.fstat().size());
        assertEquals(Errno.EPERM, errno(() -> fx.vfs.chmod("/f", 0600)));
        assertEquals(InodeFlags.APPEND, fx.vfs.getFlags("/f"));
    }
}
