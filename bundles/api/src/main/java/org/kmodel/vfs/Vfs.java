package org.kmodel.vfs;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The virtual filesystem switch (fs/namei.c, fs/namespace.c, fs/open.c, fs/stat.c): one namespace of
 * mounts with a current working directory, path walk and the path-based system calls.
 *
 * <p>Paths are absolute or relative to {@link #getcwd()}; {@code .}, {@code ..} and symbolic links are
 * resolved (at most 40 links per walk, else ELOOP; a component longer than 255 bytes gives ENAMETOOLONG,
 * a path longer than 4095 bytes too). Every method throws {@link org.kmodel.kernel.KernelException} with
 * the errno of the system call and changes nothing when it does.
 */
@ProviderType
public interface Vfs {
    /** The page size of the model's page cache: {@link org.kmodel.kernel.Arch#PAGE_SIZE}. */
    int PAGE_SIZE = org.kmodel.kernel.Arch.PAGE_SIZE;
    /** NAME_MAX. */
    int NAME_MAX = 255;
    /** PATH_MAX including the terminating NUL. */
    int PATH_MAX = 4096;
    /** MAXSYMLINKS of fs/namei.c. */
    int MAX_SYMLINKS = 40;

    /** open(2) with {@link OpenFlags}; {@code mode} is used with O_CREAT (subject to a 022 umask). */
    OpenFile open(String path, int flags, int mode);

    /** stat(2): follows a final symlink. */
    Stat stat(String path);

    /** lstat(2): does not follow a final symlink. */
    Stat lstat(String path);

    /** statfs(2) of the filesystem holding {@code path}. */
    StatFs statfs(String path);

    /** getdents64(2) of a directory, in the filesystem's order. */
    List<DirEntry> readdir(String path);

    void mkdir(String path, int mode);

    void rmdir(String path);

    void unlink(String path);

    /** rename(2): replaces an existing target of a compatible type; EXDEV across mounts. */
    void rename(String from, String to);

    /** link(2): a new name for an existing non-directory; EXDEV across mounts. */
    void link(String existing, String newPath);

    void symlink(String target, String linkPath);

    String readlink(String path);

    /**
     * mknod(2): FIFOs, character and block device nodes, sockets and regular files ({@code mode} includes the
     * S_IFxxx type; no type is a regular file).
     */
    void mknod(String path, int mode, long dev);

    /** truncate(2). */
    void truncate(String path, long length);

    /** chmod(2) ({@code mode & 07777}). */
    void chmod(String path, int mode);

    /** utimensat(2) with explicit times in ns since the epoch; {@code -1} leaves a time unchanged. */
    void utimens(String path, long atime, long mtime);

    /** FS_IOC_GETFLAGS through a path (lsattr). */
    int getFlags(String path);

    /** FS_IOC_SETFLAGS through a path (chattr). */
    void setFlags(String path, int flags);

    /** chdir(2). */
    void chdir(String path);

    /** getcwd(3). */
    String getcwd();

    /**
     * mount(2): mounts a new instance of the registered filesystem type {@code fsType} on the directory
     * {@code target}. ENODEV for an unknown type; the type's own errors for a bad source or options.
     * The mount holds a reference on the type until {@link #umount}. {@code ro} in {@code options} makes the mount
     * read-only: every call that would change it fails with EROFS (in the order the kernel checks it), reads work.
     *
     * <p>With {@code remount} among the options it is mount(2) with MS_REMOUNT instead: {@code source} and
     * {@code fsType} are ignored and the mount whose root is {@code target} (EINVAL if none) becomes read-only
     * ({@code ro}) or writable again ({@code rw}). Going read-only writes back its dirty pages first and fails with
     * EBUSY, changing nothing, while a file on it is open for writing.
     */
    void mount(String source, String target, String fsType, String options);

    /** umount(2): EBUSY while files on it are open or other mounts sit below it; EINVAL if not a mount point. */
    void umount(String target);

    /** The mount table in mount order, as /proc/mounts lists it. */
    List<MountInfo> mounts();

    /** The registered filesystem types as /proc/filesystems lists them ({@code "nodev\ttmpfs"}, {@code "\text4"}). */
    List<String> filesystems();

    /**
     * {@code unregister_filesystem} as a filesystem module's exit calls it: EBUSY while an instance of the type
     * is mounted (the mount holds a reference on the type, as {@code get_fs_type} takes one on its module);
     * ENOENT if no such type is registered. On success new mounts of {@code fsType} give ENODEV until an
     * implementation registers again.
     */
    void unregisterFilesystem(String fsType);

    /** swapon(2): marks a regular file as an active swap file (fallocate then gives ETXTBSY). */
    void swapon(String path);

    /** swapoff(2). */
    void swapoff(String path);

    /** sync(2): writes back every dirty page and asks every filesystem to sync. */
    void sync();

    /**
     * echo 1/2/3 &gt; /proc/sys/vm/drop_caches: writes back, then drops every clean, unmapped page of the
     * page cache.
     */
    void dropCaches();
}
