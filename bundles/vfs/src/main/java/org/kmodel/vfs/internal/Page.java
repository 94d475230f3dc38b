package org.kmodel.vfs.internal;

import org.kmodel.vfs.Vfs;

/**
 * One page of the page cache ({@code struct folio} of order 0, include/linux/mm_types.h). A cached page is
 * always uptodate: the VFS either read it whole from the filesystem or built it from zeros plus the bytes
 * of a write. {@code dirty} means the filesystem has not seen its content yet.
 */
final class Page {
    final long index;
    final byte[] data;
    boolean dirty;

    Page(long index, byte[] data) {
        if (data.length != Vfs.PAGE_SIZE) {
            throw new IllegalArgumentException("page of " + data.length + " bytes");
        }
        this.index = index;
        this.data = data;
    }

    static Page zeroed(long index) {
        return new Page(index, new byte[Vfs.PAGE_SIZE]);
    }
}
