package org.kmodel.fs.hostfs.internal;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.spi.InodeAttr;

/** Host system calls with errno turned into the model's KernelException (hostfs returns the host's -errno). */
final class HostCalls {
    private HostCalls() {}

    static KernelException error(String what) {
        int e = Native.getLastError();
        Errno errno = Errno.of(e);
        return new KernelException(errno == null ? Errno.EIO : errno, what);
    }

    static int check(int rc, String what) {
        if (rc < 0) {
            throw error(what);
        }
        return rc;
    }

    static long check(long rc, String what) {
        if (rc < 0) {
            throw error(what);
        }
        return rc;
    }

    /** lstat: the host's struct stat, decoded (x86-64 layout). Returns {ino, attr}. */
    static Object[] lstat(String path) {
        byte[] st = new byte[144];
        check(Libc.get().lstat(path, st), "stat");
        ByteBuffer b = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN);
        long ino = b.getLong(8);
        long nlink = b.getLong(16);
        int mode = b.getInt(24);
        int uid = b.getInt(28);
        int gid = b.getInt(32);
        long rdev = b.getLong(40);
        long size = b.getLong(48);
        long blocks = b.getLong(64);
        long atime = b.getLong(72) * 1_000_000_000L + b.getLong(80);
        long mtime = b.getLong(88) * 1_000_000_000L + b.getLong(96);
        long ctime = b.getLong(104) * 1_000_000_000L + b.getLong(112);
        return new Object[] {
            ino, new InodeAttr(mode, (int) nlink, uid, gid, rdev, size, blocks, atime, mtime, ctime, 0), b.getLong(56)
        };
    }
}
