package org.kmodel.vfs.spi;

import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FiemapExtent;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One inode of a mounted filesystem, with the operations the VFS calls on it: attributes
 * ({@code inode_operations->getattr/setattr}), directory operations ({@code ->lookup, ->create, ->mkdir,
 * ->unlink, ->rmdir, ->rename, ->link, ->symlink, ->get_link}), page-granular data I/O
 * ({@code address_space_operations}), the block map ({@code ->fiemap}/iomap) and {@code ->fallocate}.
 *
 * <p><b>Identity.</b> {@link #ino()} must be unique and stable within the super block: the VFS keys its
 * in-memory inode (and the page cache) by it, so two hard links resolve to one page cache. Returning a new
 * Java object for the same ino is allowed.
 *
 * <p><b>Data.</b> The page cache lives in the VFS. The filesystem never sees byte ranges for ordinary I/O:
 * it fills whole pages on {@link #readPage} and stores whole pages on {@link #writePage} (writeback). Between
 * those, the VFS may hold dirty pages the filesystem has not seen; it calls {@link #writeBegin} before it
 * first dirties a page (so space can be reserved and ENOSPC reported at write time, as shmem and ext4 delalloc
 * do) and {@link #extendSize} when a write or mmap store moves EOF. Before a COLLAPSE or INSERT the VFS
 * writes back and drops every cached page from the offset (rounded down to a page) to EOF; before PUNCH and
 * ZERO it writes back and drops the pages the range touches; so the filesystem's store is the whole truth
 * when {@link #fallocate} runs.
 *
 * <p>Defaults make a read-only, non-directory inode that supports nothing: directory operations give
 * ENOTDIR, data operations EINVAL/EOPNOTSUPP. Implement what the inode type needs.
 */
@ConsumerType
public interface Inode {
    /** The inode number (st_ino). */
    long ino();

    /** Current attributes. The VFS calls this often; keep it cheap. */
    InodeAttr getattr();

    /** {@code ->setattr}: chmod, utimes, chattr flags, and truncate (see {@link AttrChange}). */
    void setattr(AttrChange change);

    // ---- directory operations (only for S_IFDIR inodes) ------------------------------------------

    /** {@code ->lookup}: the child named {@code name} or {@code null} if there is none. */
    default Inode lookup(String name) {
        throw new KernelException(Errno.ENOTDIR, "lookup");
    }

    /**
     * {@code ->create} / {@code ->mknod} / {@code ->mkdir}: a new child; {@code mode} includes the type
     * (S_IFREG, S_IFDIR, S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK); {@code rdev} for device nodes. The VFS has
     * checked that the name is free and valid. ENOSPC when the filesystem has no inode or space left.
     */
    default Inode create(String name, int mode, long rdev) {
        throw new KernelException(Errno.ENOTDIR, "create");
    }

    /** {@code ->symlink}: a new symbolic link child pointing to {@code target}. */
    default Inode symlink(String name, String target) {
        throw new KernelException(Errno.ENOTDIR, "symlink");
    }

    /** {@code ->link}: a new name for the existing non-directory {@code target} of the same super block. */
    default void link(String name, Inode target) {
        throw new KernelException(Errno.ENOTDIR, "link");
    }

    /**
     * {@code ->unlink}: removes the name of a non-directory. The inode's data must stay readable while the
     * VFS still holds it open; the VFS calls {@link #evict()} when the last link and the last user are gone.
     */
    default void unlink(String name) {
        throw new KernelException(Errno.ENOTDIR, "unlink");
    }

    /** {@code ->rmdir}: the VFS checked that the child is a directory; the filesystem checks ENOTEMPTY. */
    default void rmdir(String name) {
        throw new KernelException(Errno.ENOTDIR, "rmdir");
    }

    /**
     * {@code ->rename}: moves {@code oldName} of this directory to {@code newName} in {@code newDir} (same
     * super block), replacing an existing target atomically. The VFS has checked types (EISDIR, ENOTDIR),
     * an empty directory target, and that a directory is not moved below itself (EINVAL).
     */
    default void rename(String oldName, Inode newDir, String newName) {
        throw new KernelException(Errno.ENOTDIR, "rename");
    }

    /** {@code ->iterate_shared}: the entries without "." and "..". */
    default List<DirEntry> readdir() {
        throw new KernelException(Errno.ENOTDIR, "readdir");
    }

    /** {@code ->get_link}: the target of a symbolic link. */
    default String readlink() {
        throw new KernelException(Errno.EINVAL, "readlink");
    }

    // ---- direct I/O (files outside the page cache: procfs, sysfs, device nodes) ------------------

    /**
     * True if this regular file is not backed by the page cache ({@code file_operations->read_iter/write_iter}
     * of procfs/sysfs/seq_file): the VFS then calls {@link #readDirect}/{@link #writeDirect} for read(2) and
     * write(2), ignores i_size for reads (proc files report size 0 yet have content), and mmap and fallocate
     * are refused (ENODEV, EOPNOTSUPP).
     */
    default boolean directIo() {
        return false;
    }

    /** read(2) at {@code pos} for a {@link #directIo()} file: bytes copied, 0 at end of content. */
    default int readDirect(long pos, byte[] buf, int off, int len) {
        throw new KernelException(Errno.EINVAL, "read");
    }

    /** write(2) at {@code pos} for a {@link #directIo()} file: bytes consumed. Read-only files give EACCES. */
    default int writeDirect(long pos, byte[] buf, int off, int len) {
        throw new KernelException(Errno.EACCES, "write");
    }

    // ---- address space operations (regular files) -----------------------------------------------

    /**
     * {@code ->read_folio}: fills {@code page} (exactly PAGE_SIZE bytes) with the content of page
     * {@code index}. Holes, unwritten extents and bytes past EOF read as zeros; never stale data.
     */
    default void readPage(long index, byte[] page) {
        throw new KernelException(Errno.EINVAL, "readpage");
    }

    /**
     * {@code ->write_begin}: the VFS is about to dirty page {@code index} (a write or a shared mmap store).
     * Reserve or allocate the backing space here; ENOSPC (or EFBIG, EDQUOT) fails the write before any
     * byte changed. Called again for a page already reserved; must then be cheap and succeed.
     */
    default void writeBegin(long index) {}

    /**
     * {@code ->writepages} for one page: store {@code page}; only the first {@code length} bytes are inside
     * EOF, the rest are zero. Marks the range written (no longer unwritten or a hole). {@code page} is a copy
     * the filesystem may keep: the VFS never touches it again.
     */
    default void writePage(long index, byte[] page, int length) {
        throw new KernelException(Errno.EROFS, "writepage");
    }

    /**
     * {@code i_size_write} from a write or mmap store that moved EOF up to {@code newSize} (never a truncate:
     * post-EOF preallocation below {@code newSize} becomes in-file zeros and must be kept).
     */
    default void extendSize(long newSize) {
        throw new KernelException(Errno.EROFS, "extend");
    }

    /**
     * The block map over {@code [start, start + length)}, in file order, past EOF included
     * ({@code ->fiemap} / {@code iomap_begin}): one entry per allocated extent, with
     * {@link FiemapExtent#UNWRITTEN} for allocated-but-unwritten space and {@link FiemapExtent#LAST} on the
     * file's last extent. Holes are absent. The VFS derives SEEK_DATA/SEEK_HOLE from it; it also answers
     * FS_IOC_FIEMAP when the capabilities say so. tmpfs reports its pages (physical 0).
     */
    default List<FiemapExtent> mapExtents(long start, long length) {
        return List.of();
    }

    /**
     * Filesystem-specific validation of a fallocate that passed the VFS checks, <b>before</b> the VFS writes
     * back and drops the page cache: per-inode support (EOPNOTSUPP), alignment (EINVAL), EOF rules (EINVAL),
     * EFBIG. Must not change anything. The default accepts.
     */
    default void fallocateCheck(FallocateRequest request) {}

    /**
     * {@code ->fallocate}: performs the request (after {@link #fallocateCheck} and the VFS's page cache
     * writeback/invalidation). Updates the size as the mode demands. Must be all-or-nothing on error, except
     * where the real filesystem keeps partial work (ext4 ENOSPC). The VFS updates mtime/ctime and clears set-id
     * bits afterwards through {@link #setattr}.
     */
    default void fallocate(FallocateRequest request) {
        throw new KernelException(Errno.EOPNOTSUPP, "fallocate");
    }

    /** {@code ->fsync}: make this inode's metadata durable (data pages were written back before). */
    default void fsync() {}

    /**
     * {@code file_operations->release}: an open file description of this inode was closed for the last time
     * (the final {@code fput}, fs/file_table.c {@code __fput}); {@code writable} is its {@code FMODE_WRITE}.
     * Called once per description that {@code open} returned (never for {@code O_PATH} ones), before the VFS
     * drops its use of the inode, so an unlinked inode is not yet evicted. The filesystem may trim what it
     * keeps only while the file is open (xfs frees speculative preallocation past EOF here,
     * fs/xfs/xfs_file.c {@code xfs_file_release}). Must not fail: close(2) has already succeeded. The default
     * does nothing.
     */
    default void release(boolean writable) {}

    /**
     * Asked at the same close, just before {@link #release}: true if the VFS should first write back this
     * inode's dirty pages ({@code filemap_flush} from inside {@code ->release}: xfs does it after a truncate
     * down, XFS_ITRUNCATED, so that delalloc data reaches its blocks early). Must not change anything; the
     * default says no.
     */
    default boolean flushBeforeRelease() {
        return false;
    }

    /** {@code ->evict_inode}: no links and no users remain; free the inode and its blocks. */
    default void evict() {}
}
