package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;

/** A VFS with a MemFs root, as the tests use it. */
final class Fixture {
    final VfsCore vfs;
    final MemFs fs = new MemFs("memfs");

    Fixture(KernelRelease release) {
        vfs = new VfsCore(release);
        vfs.registerFilesystem(fs, 0, 1);
        vfs.mount("none", "/", "memfs", "");
    }

    Fixture() {
        this(KernelRelease.V6_18);
    }

    /** A file of {@code size} bytes where every 8-byte word holds its own offset (the kernel matrix's "pattern" file, docs/vfs.md#the-errno-matrix). */
    OpenFile pattern(String path, long size) {
        OpenFile f = vfs.open(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, 0644);
        byte[] buf = patternBytes(0, (int) size);
        f.pwrite(0, buf, 0, buf.length);
        f.fsync();
        return f;
    }

    static byte[] patternBytes(long from, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            long p = from + i;
            long word = p & ~7L;
            b[i] = (byte) (word >>> (8 * (p & 7)));
        }
        return b;
    }

    static byte[] read(OpenFile f, long pos, int len) {
        byte[] b = new byte[len];
        int n = f.pread(pos, b, 0, len);
        assertEquals(len, n, "short read");
        return b;
    }

    static Errno errno(Runnable r) {
        return assertThrows(KernelException.class, r::run).errno();
    }
}
