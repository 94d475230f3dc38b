package org.kmodel.vfs.internal;

import java.util.Map;
import java.util.TreeMap;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FileMapping;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.Mmap;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.SigbusException;

/**
 * A file mapping (mm/mmap.c {@code do_mmap} checks, mm/filemap.c {@code filemap_fault},
 * {@code filemap_page_mkwrite}). Loads and stores go to the page cache page at the time of the access, which
 * is how a real MAP_SHARED mapping behaves once the kernel has unmapped stale PTEs (collapse and punch do
 * that). A fault on a page wholly past EOF is SIGBUS. Private mappings copy a page on first store.
 */
final class FileMappingImpl implements FileMapping, PageCache.PrivateCopies {
    private static final int PS = PageCache.PAGE_SIZE;

    private final VfsCore core;
    private final VfsInode inode;
    private final long fileOffset;
    private final long length;
    private final int prot;
    private final boolean shared;
    private final Map<Long, byte[]> cow = new TreeMap<>();
    private boolean unmapped;
    /** Made from a description with write access: the mapping keeps it (and its FMODE_WRITER) until munmap. */
    private boolean holdsWriter;

    private FileMappingImpl(VfsCore core, VfsInode inode, long fileOffset, long length, int prot, boolean shared) {
        this.core = core;
        this.inode = inode;
        this.fileOffset = fileOffset;
        this.length = length;
        this.prot = prot;
        this.shared = shared;
    }

    static FileMappingImpl create(
            VfsCore core, VfsInode inode, int fileFlags, long offset, long length, int prot, int mapFlags) {
        boolean shared = (mapFlags & Mmap.MAP_SHARED) != 0;
        boolean priv = (mapFlags & Mmap.MAP_PRIVATE) != 0;
        if (shared == priv || length <= 0 || offset < 0 || offset % PS != 0) {
            throw new KernelException(Errno.EINVAL, "mmap");
        }
        if (inode.type() != FileType.REGULAR || inode.fs.directIo()) {
            throw new KernelException(Errno.ENODEV, "mmap");
        }
        if (!OpenFlags.readable(fileFlags)) {
            throw new KernelException(Errno.EACCES, "mmap");
        }
        if (shared && (prot & Mmap.PROT_WRITE) != 0 && !OpenFlags.writable(fileFlags)) {
            throw new KernelException(Errno.EACCES, "mmap");
        }
        if (shared && (prot & Mmap.PROT_WRITE) != 0 && inode.appendOnly()) {
            throw new KernelException(Errno.EACCES, "mmap");
        }
        FileMappingImpl m = new FileMappingImpl(core, inode, offset, length, prot, shared);
        inode.mappings.add(m);
        if (Opener.holdsWriter(fileFlags, inode.type())) {
            m.holdsWriter = true;
            inode.writers++;
        }
        if (!shared) {
            inode.cache.addPrivateMapping(m);
        }
        return m;
    }

    @Override
    public long fileOffset() {
        return fileOffset;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean shared() {
        return shared;
    }

    private void checkAccess(long off, int len, int needProt) {
        if (unmapped || off < 0 || len < 0 || off + len > length || (prot & needProt) == 0) {
            throw new KernelException(Errno.EFAULT, "SIGSEGV at mapping offset 0x" + Long.toHexString(off));
        }
    }

    /** {@code filemap_fault}'s EOF rule: a page at or past DIV_ROUND_UP(i_size, PAGE_SIZE) is SIGBUS. */
    private long fault(long mapOff) {
        long index = (fileOffset + mapOff) / PS;
        if (index >= PageCache.indexCeil(inode.size())) {
            throw new SigbusException(mapOff);
        }
        return index;
    }

    @Override
    public byte[] read(long off, int len) {
        synchronized (core.lock) {
            checkAccess(off, len, Mmap.PROT_READ);
            byte[] out = new byte[len];
            int done = 0;
            while (done < len) {
                long m = off + done;
                long index = fault(m);
                int inPage = (int) ((fileOffset + m) % PS);
                int chunk = Math.min(len - done, PS - inPage);
                byte[] src = cow.containsKey(index) ? cow.get(index) : inode.cache.read(index).data;
                System.arraycopy(src, inPage, out, done, chunk);
                done += chunk;
            }
            return out;
        }
    }

    @Override
    public void write(long off, byte[] data) {
        synchronized (core.lock) {
            checkAccess(off, data.length, Mmap.PROT_WRITE);
            int done = 0;
            while (done < data.length) {
                long m = off + done;
                long index = fault(m);
                int inPage = (int) ((fileOffset + m) % PS);
                int chunk = Math.min(data.length - done, PS - inPage);
                if (shared) {
                    inode.fs.writeBegin(index); // ->page_mkwrite
                    Page page = inode.cache.read(index);
                    System.arraycopy(data, done, page.data, inPage, chunk);
                    page.dirty = true;
                } else {
                    byte[] copy = cow.computeIfAbsent(
                            index, i -> inode.cache.read(i).data.clone());
                    System.arraycopy(data, done, copy, inPage, chunk);
                }
                done += chunk;
            }
            if (shared && data.length > 0) {
                Attrs.fileModified(inode, true);
            }
        }
    }

    @Override
    public void msync() {
        synchronized (core.lock) {
            if (unmapped) {
                throw new KernelException(Errno.ENOMEM, "msync");
            }
            if (shared) {
                long from = fileOffset / PS;
                inode.cache.writeback(from, from + PageCache.indexCeil(length), inode.size());
            }
        }
    }

    @Override
    public void munmap() {
        synchronized (core.lock) {
            if (unmapped) {
                return;
            }
            unmapped = true;
            if (holdsWriter && inode.writers > 0) {
                inode.writers--;
            }
            cow.clear();
            inode.mappings.remove(this);
            inode.cache.removePrivateMapping(this);
            inode.mount.evictIfUnused(inode);
        }
    }

    @Override
    public void dropCopies(long fromIndex, long toIndex) {
        cow.keySet().removeIf(i -> i >= fromIndex && i < toIndex);
    }
}
