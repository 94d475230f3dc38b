package org.kmodel.vfs.nio.internal;

import java.io.IOException;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;

/**
 * Files.copy inside the model: read and write through the page cache. On an error the partial target is
 * removed, so a failed copy leaves nothing half-written.
 */
final class Copier {
    private Copier() {}

    static void copy(VfsFileSystemProvider provider, String from, String to, int mode) throws IOException {
        provider.call(to, () -> {
            try (OpenFile in = provider.vfs().open(from, OpenFlags.O_RDONLY, 0)) {
                OpenFile out = provider.vfs().open(to, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL, mode);
                try {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) {
                        out.write(buf, 0, n);
                    }
                    out.close();
                } catch (KernelException e) {
                    out.close();
                    provider.vfs().unlink(to);
                    throw e;
                }
            }
            return null;
        });
    }
}
