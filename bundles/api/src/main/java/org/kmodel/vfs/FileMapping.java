package org.kmodel.vfs;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A mapping of a file created by {@link OpenFile#mmap} ({@code vm_area_struct} with {@code vm_file},
 * mm/filemap.c fault path). A {@link Mmap#MAP_SHARED} mapping reads and writes the file's page cache
 * itself: every access looks the page up in the cache, so it sees the file as it is now (shifted data after
 * a collapse or insert, zeros after a punch) and its stores are dirty page-cache data that writeback and
 * collapse preserve. A {@link Mmap#MAP_PRIVATE} mapping copies a page on its first store (COW); copies
 * are dropped when the page cache range is truncated (as ext4's collapse does).
 *
 * <p>Offsets are relative to the start of the mapping. An access to a page that lies wholly past the
 * current EOF raises {@link SigbusException}; bytes past EOF within the last partial page read as zero.
 * An access outside {@code [0, length())} is EFAULT (SIGSEGV in the real kernel).
 */
@ProviderType
public interface FileMapping extends AutoCloseable {
    /** The file offset of the mapping's first byte (page aligned). */
    long fileOffset();

    long length();

    boolean shared();

    /** Reads {@code len} bytes at mapping offset {@code off} (a load from the mapping). */
    byte[] read(long off, int len);

    /** Stores {@code data} at mapping offset {@code off}; EACCES-free model: needs PROT_WRITE, else EFAULT. */
    void write(long off, byte[] data);

    /** msync(MS_SYNC): writes back the dirty pages of the mapped range. */
    void msync();

    /** munmap: the mapping becomes unusable (EFAULT afterwards); dirty shared pages stay in the page cache. */
    void munmap();

    @Override
    default void close() {
        munmap();
    }
}
