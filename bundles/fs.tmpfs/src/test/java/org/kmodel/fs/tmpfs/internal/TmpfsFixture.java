package org.kmodel.fs.tmpfs.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/** A real VFS with tmpfs mounted on / (and a 2 GiB tmpfs on /small for ENOSPC rows). */
final class TmpfsFixture {
    final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, new ShmemFsType());

    TmpfsFixture() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
    }

    OpenFile create(String path) {
        return vfs.open(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, 0644);
    }

    /** The kernel matrix's base file (docs/vfs.md#the-errno-matrix): every 8-byte word holds its own offset; written back like fsync. */
    OpenFile pattern(String path, long size) {
        OpenFile f = create(path);
        byte[] b = patternBytes(0, (int) size);
        f.pwrite(0, b, 0, b.length);
        f.fsync();
        return f;
    }

    /** "halfsparse": a hole over [0, 32K) and pattern over [32K, 64K). */
    OpenFile halfsparse(String path) {
        OpenFile f = create(path);
        byte[] b = patternBytes(32768, 32768);
        f.pwrite(32768, b, 0, b.length);
        f.fsync();
        return f;
    }

    static byte[] patternBytes(long from, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            long p = from + i;
            b[i] = (byte) ((p & ~7L) >>> (8 * (p & 7)));
        }
        return b;
    }

    static byte[] readAll(OpenFile f) {
        byte[] b = new byte[(int) f.fstat().size()];
        f.pread(0, b, 0, b.length);
        return b;
    }

    static Errno errno(Runnable r) {
        return assertThrows(KernelException.class, r::run).errno();
    }
}
