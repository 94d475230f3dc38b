package org.kmodel.vfs.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.InodeFlags;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.Stat;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.spi.Inode;

/**
 * The VFS service without OSGi (fs/namei.c, fs/open.c, fs/stat.c, fs/attr.c): path-based system calls of the
 * one task the model runs. Every call holds {@link #lock} for its whole duration, which gives each call the
 * atomicity the kernel gets from i_rwsem, the rename lock and namespace_sem; the SPI documents that
 * filesystems rely on it.
 *
 * <p>The task is root with CAP_LINUX_IMMUTABLE but, like the measurement of the real kernel (docs/vfs.md), without
 * CAP_FSETID unless configured, so data changes clear set-id bits.
 */
public class VfsCore implements Vfs {
    final Object lock = new Object();
    final FileSystemRegistry registry = new FileSystemRegistry();
    final MountTable mounts = new MountTable();
    final PathWalk walk = new PathWalk(mounts);
    private final Mounter mounter = new Mounter(this);
    private volatile KernelRelease release;
    volatile boolean capFsetid;
    volatile long rlimitFsize = Long.MAX_VALUE;
    /** The model's RAM: page cache and tmpfs pages (see {@link PageMemory}); replaced only before mounts exist. */
    volatile PageMemory memory = new PageMemory(this, PageMemory.defaultTotalPages());

    private List<Location.Step> cwd;
    volatile ModuleRefs moduleRefs = ModuleRefs.NONE;
    /** vfs_fallocate's tracepoints, replaced when a tracepoint registry comes or goes. */
    volatile FallocateTrace fallocateTrace = FallocateTrace.NONE;

    /**
     * {@code try_module_get(fs->owner)} at mount and {@code module_put} at umount: while mounted, the module that
     * provides a filesystem type cannot be removed. Without a module loader (or for a type that is no module)
     * nothing is held.
     */
    interface ModuleRefs {
        ModuleRefs NONE = new ModuleRefs() {
            @Override
            public String get(FileSystemType type) {
                return null;
            }

            @Override
            public void put(String module) {}
        };

        /** The name of the module reference taken, or null. */
        String get(FileSystemType type);

        void put(String module);
    }

    public VfsCore(KernelRelease release) {
        this.release = release;
    }

    public KernelRelease release() {
        return release;
    }

    public void setRelease(KernelRelease release) {
        this.release = release;
    }

    /** Looks the fallocate tracepoints up once; {@code null} (no trace bundle) switches them off. */
    public void setTracepointRegistry(org.kmodel.trace.TracepointRegistry registry) {
        fallocateTrace = registry == null ? FallocateTrace.NONE : FallocateTrace.of(registry);
    }

    public void setCapFsetid(boolean value) {
        this.capFsetid = value;
    }

    /** setrlimit(RLIMIT_FSIZE) of the model's task; {@link Long#MAX_VALUE} is RLIM_INFINITY. */
    /** Sizes the model's RAM in pages (before anything is mounted: mounts keep the budget they started with). */
    public void setMemoryPages(long pages) {
        memory = new PageMemory(this, pages);
    }

    /** Pages charged to the model's RAM now (page cache and tmpfs). */
    public long memoryUsedPages() {
        return memory.usedPages();
    }

    public void setRlimitFsize(long bytes) {
        this.rlimitFsize = bytes;
    }

    // ---- filesystem types ----------------------------------------------------------------------

    public void registerFilesystem(FileSystemType type, int ranking, long serviceId) {
        registry.register(type, ranking, serviceId);
    }

    /** Returns the number of mounts still using the type's name (the caller logs a non-zero count). */
    public int unregisterFilesystem(FileSystemType type) {
        return registry.unregister(type);
    }

    @Override
    public void unregisterFilesystem(String fsType) {
        registry.withdraw(fsType);
    }

    public int mountCount(String fsType) {
        return registry.refs(fsType);
    }

    // ---- helpers -----------------------------------------------------------------------------

    Location cwd() {
        if (cwd == null) {
            return mounts.rootLocation();
        }
        return new Location(cwd);
    }

    Location resolve(String path, boolean follow) {
        return walk.resolve(cwd(), path, follow);
    }

    PathWalk.Parent parent(String path) {
        return walk.resolveParent(cwd(), path);
    }

    /** The existing child of a parent walk, or null. */
    static VfsInode child(PathWalk.Parent p) {
        PathWalk.checkName(p.name());
        Inode c = p.dir().inode().fs.lookup(p.name());
        return c == null ? null : p.dir().mount().iget(c);
    }

    static void checkNotDots(PathWalk.Parent p, Errno errno) {
        if (p.name().equals(".") || p.name().equals("..")) {
            throw new KernelException(errno, p.name());
        }
    }

    // ---- Vfs ------------------------------------------------------------------------------------

    @Override
    public OpenFile open(String path, int flags, int mode) {
        synchronized (lock) {
            return Opener.open(this, path, flags, mode);
        }
    }

    @Override
    public Stat stat(String path) {
        synchronized (lock) {
            return Attrs.stat(resolve(path, true).inode());
        }
    }

    @Override
    public Stat lstat(String path) {
        synchronized (lock) {
            return Attrs.stat(resolve(path, false).inode());
        }
    }

    @Override
    public StatFs statfs(String path) {
        synchronized (lock) {
            return resolve(path, true).mount().sb.statfs();
        }
    }

    @Override
    public List<DirEntry> readdir(String path) {
        synchronized (lock) {
            VfsInode dir = resolve(path, true).inode();
            if (!dir.isDir()) {
                throw new KernelException(Errno.ENOTDIR, path);
            }
            mounts.checkNotFailed(dir, path);
            return List.copyOf(dir.fs.readdir());
        }
    }

    @Override
    public void mkdir(String path, int mode) {
        synchronized (lock) {
            NameOps.mkdir(this, path, mode);
        }
    }

    @Override
    public void mknod(String path, int mode, long dev) {
        synchronized (lock) {
            NameOps.mknod(this, path, mode, dev);
        }
    }

    @Override
    public void rmdir(String path) {
        synchronized (lock) {
            NameOps.rmdir(this, path);
        }
    }

    @Override
    public void unlink(String path) {
        synchronized (lock) {
            NameOps.unlink(this, path);
        }
    }

    @Override
    public void rename(String from, String to) {
        synchronized (lock) {
            Renamer.rename(this, from, to);
        }
    }

    @Override
    public void link(String existing, String newPath) {
        synchronized (lock) {
            NameOps.link(this, existing, newPath);
        }
    }

    @Override
    public void symlink(String target, String linkPath) {
        synchronized (lock) {
            NameOps.symlink(this, target, linkPath);
        }
    }

    @Override
    public String readlink(String path) {
        synchronized (lock) {
            VfsInode i = resolve(path, false).inode();
            if (i.type() != FileType.SYMLINK) {
                throw new KernelException(Errno.EINVAL, path);
            }
            return i.fs.readlink();
        }
    }

    @Override
    public void truncate(String path, long length) {
        if (length < 0) {
            throw new KernelException(Errno.EINVAL, path); // do_sys_truncate: before the path is even looked up
        }
        synchronized (lock) {
            VfsInode i = resolve(path, true).inode();
            if (i.isDir()) {
                throw new KernelException(Errno.EISDIR, path);
            }
            if (i.type() != FileType.REGULAR) {
                throw new KernelException(Errno.EINVAL, path);
            }
            i.mount.wantWrite(path); // vfs_truncate: after the type checks, before EPERM, ETXTBSY and EFBIG
            FileIo.truncate(this, i, length);
        }
    }

    @Override
    public void chmod(String path, int mode) {
        synchronized (lock) {
            VfsInode i = resolve(path, true).inode();
            i.mount.wantWrite(path); // chmod_common: before notify_change's EPERM, even when the mode does not change
            if (i.immutable() || i.appendOnly()) {
                throw new KernelException(Errno.EPERM, path);
            }
            i.fs.setattr(AttrChange.mode(mode & 07777, Attrs.now()));
        }
    }

    @Override
    public void utimens(String path, long atime, long mtime) {
        synchronized (lock) {
            VfsInode i = resolve(path, true).inode();
            if (atime < 0 && mtime < 0) {
                // both UTIME_OMIT: vfs_utimes returns before it asks for write access (a read-only mount answers 0)
                return;
            }
            i.mount.wantWrite(path); // vfs_utimes: mnt_want_write before notify_change's EPERM
            if (i.immutable() || i.appendOnly()) {
                throw new KernelException(Errno.EPERM, path);
            }
            i.fs.setattr(AttrChange.times(atime < 0 ? null : atime, mtime < 0 ? null : mtime, Attrs.now()));
        }
    }

    @Override
    public int getFlags(String path) {
        synchronized (lock) {
            return resolve(path, true).inode().attr().flags();
        }
    }

    @Override
    public void setFlags(String path, int flags) {
        synchronized (lock) {
            setFlags(resolve(path, true).inode(), flags);
        }
    }

    /** FS_IOC_SETFLAGS: only user-modifiable bits change; the filesystem's own bits (extents) are kept. */
    void setFlags(VfsInode i, int flags) {
        // ioctl_setflags: mnt_want_write_file comes first, so a FIFO (ENOTTY otherwise) or unchanged flags are EROFS
        i.mount.wantWrite("setflags");
        if (i.type() != FileType.REGULAR && i.type() != FileType.DIRECTORY) {
            throw new KernelException(Errno.ENOTTY, "setflags");
        }
        int old = i.attr().flags();
        int merged = (old & ~InodeFlags.USER_MODIFIABLE) | (flags & InodeFlags.USER_MODIFIABLE);
        if (merged != old) {
            i.fs.setattr(AttrChange.flags(merged, Attrs.now()));
        }
    }

    @Override
    public void chdir(String path) {
        synchronized (lock) {
            Location l = resolve(path, true);
            if (!l.inode().isDir()) {
                throw new KernelException(Errno.ENOTDIR, path);
            }
            cwd = l.chain();
        }
    }

    @Override
    public String getcwd() {
        synchronized (lock) {
            return cwd().path();
        }
    }

    @Override
    public void mount(String source, String target, String fsType, String options) {
        synchronized (lock) {
            mounter.mount(source, target, fsType, options);
        }
    }

    @Override
    public void umount(String target) {
        synchronized (lock) {
            mounter.umount(target);
        }
    }

    @Override
    public List<MountInfo> mounts() {
        synchronized (lock) {
            List<MountInfo> out = new ArrayList<>();
            for (Mount m : mounts.all()) {
                out.add(m.info());
            }
            return out;
        }
    }

    @Override
    public List<String> filesystems() {
        return registry.list();
    }

    @Override
    public void swapon(String path) {
        synchronized (lock) {
            VfsInode i = resolve(path, true).inode();
            if (i.type() != FileType.REGULAR) {
                throw new KernelException(Errno.EINVAL, path);
            }
            if (i.swapfile) {
                throw new KernelException(Errno.EBUSY, path);
            }
            i.swapfile = true;
        }
    }

    @Override
    public void swapoff(String path) {
        synchronized (lock) {
            VfsInode i = resolve(path, true).inode();
            if (!i.swapfile) {
                throw new KernelException(Errno.EINVAL, path);
            }
            i.swapfile = false;
        }
    }

    /**
     * Starts the periodic writeback thread ({@link Flusher}): every {@code periodMillis} the pages dirty for
     * {@code expireMillis} are written back and each mount may commit. Close the result to stop it.
     */
    public AutoCloseable startFlusher(long periodMillis, long expireMillis) {
        Flusher f = Flusher.start(this, periodMillis, expireMillis);
        return f == null ? () -> {} : f;
    }

    @Override
    public void sync() {
        synchronized (lock) {
            for (Mount m : mounts.all()) {
                Mounter.writeback(m);
            }
        }
    }

    /**
     * A filesystem type's implementation leaves (its bundle stops, the framework shuts down): before the type's
     * own deactivation commits its instances, every dirty page of the mounts it made is written back and its
     * {@code ->sync_fs} runs, so nothing written through the page cache is lost. The mounts stay attached and
     * usable (OSGi cannot refuse the stop as the kernel refuses rmmod of a mounted filesystem: EBUSY); they keep
     * the super blocks the leaving implementation made until umount or VFS shutdown. Returns the number of mounts
     * written back; failures are returned in {@code failures}.
     */
    public int writebackType(FileSystemType type, List<String> failures) {
        synchronized (lock) {
            int n = 0;
            for (Mount m : mounts.all()) {
                if (m.type == type) {
                    n++;
                    try {
                        Mounter.writeback(m);
                    } catch (RuntimeException e) {
                        failures.add(m.target + ": writeback: " + e.getMessage());
                    }
                }
            }
            return n;
        }
    }

    /**
     * The VFS goes away (framework shutdown, bundle stop, feature uninstall): what reboot(2) does after
     * {@code ksys_sync} and an init system's {@code umount -a}: every dirty page written back, every mount
     * unmounted, children before parents, forced. Afterwards the namespace is empty. Returns the failures.
     */
    public List<String> shutdown() {
        synchronized (lock) {
            List<String> failures = mounter.umountAll();
            cwd = null;
            return failures;
        }
    }

    @Override
    public void dropCaches() {
        synchronized (lock) {
            sync();
            for (Mount m : mounts.all()) {
                for (VfsInode i : m.inodes()) {
                    if (i.mappings.isEmpty()) {
                        i.cache.dropClean();
                    }
                }
            }
        }
    }

    /** Directory entries cannot be added or removed in an immutable or append-only (for removal) directory. */
    static void checkDirWritable(VfsInode dir) {
        if (dir.immutable()) {
            throw new KernelException(Errno.EPERM, "directory is immutable");
        }
    }
}
