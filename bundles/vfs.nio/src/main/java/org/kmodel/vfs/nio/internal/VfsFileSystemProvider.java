package org.kmodel.vfs.nio.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Stat;
import org.kmodel.vfs.Vfs;

/**
 * The {@code kmodel:} provider: every operation is the VFS system call of the same name (open, mkdir, rename,
 * unlink, stat, getdents64, symlink, link, utimensat, chmod). Errors keep their errno (see {@link Errors}).
 * It is handed out as an OSGi service and never installed with the JDK's provider lookup: the system class
 * loader cannot see bundle classes.
 */
public final class VfsFileSystemProvider extends FileSystemProvider {
    static final String SCHEME = "kmodel";
    /** PROC_SUPER_MAGIC, SYSFS_MAGIC, TRACEFS_MAGIC, DEBUGFS_MAGIC: files whose owner parses each write. */
    private static final Set<Long> PSEUDO = Set.of(0x9fa0L, 0x62656572L, 0x74726163L, 0x64626720L);

    private final Supplier<Vfs> vfs;
    private final VfsFileSystem fs = new VfsFileSystem(this);

    public VfsFileSystemProvider(Supplier<Vfs> vfs) {
        this.vfs = vfs;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    Vfs vfs() {
        Vfs v = vfs.get();
        if (v == null) {
            throw new KernelException(Errno.ENODEV, "kmodel's VFS is not running");
        }
        return v;
    }

    interface Call<T> {
        T run();
    }

    <T> T call(String path, Call<T> c) throws IOException {
        try {
            return c.run();
        } catch (KernelException e) {
            throw Errors.of(path, e);
        }
    }

    private void run(String path, Runnable r) throws IOException {
        call(path, () -> {
            r.run();
            return null;
        });
    }

    private VfsPath p(Path path) {
        return path instanceof VfsPath v && v.getFileSystem() == fs ? v : (VfsPath) fs.getPath(path.toString());
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new FileSystemAlreadyExistsException(uri.toString());
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not a kmodel: URI: " + uri);
        }
        return fs.getPath(uri.getPath());
    }

    static int flags(Set<? extends OpenOption> options) {
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        boolean read = options.contains(StandardOpenOption.READ) || !write;
        int flags = read && write ? OpenFlags.O_RDWR : write ? OpenFlags.O_WRONLY : OpenFlags.O_RDONLY;
        if (write && options.contains(StandardOpenOption.CREATE_NEW)) {
            flags |= OpenFlags.O_CREAT | OpenFlags.O_EXCL;
        } else if (write && options.contains(StandardOpenOption.CREATE)) {
            flags |= OpenFlags.O_CREAT;
        }
        if (write
                && options.contains(StandardOpenOption.TRUNCATE_EXISTING)
                && !options.contains(StandardOpenOption.APPEND)) {
            flags |= OpenFlags.O_TRUNC;
        }
        if (options.contains(StandardOpenOption.APPEND)) {
            flags |= OpenFlags.O_APPEND;
        }
        if (options.contains(LinkOption.NOFOLLOW_LINKS)) {
            flags |= OpenFlags.O_NOFOLLOW;
        }
        return flags;
    }

    private static int mode(FileAttribute<?>[] attrs, int dflt) {
        for (FileAttribute<?> a : attrs) {
            if (a.name().equals("posix:permissions") || a.name().equals("unix:permissions")) {
                @SuppressWarnings("unchecked")
                Set<PosixFilePermission> perms = (Set<PosixFilePermission>) a.value();
                return VfsAttributes.mode(perms);
            }
            throw new UnsupportedOperationException("'" + a.name() + "' cannot be set at creation");
        }
        return dflt;
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        if (options.contains(StandardOpenOption.APPEND) && options.contains(StandardOpenOption.READ)
                || options.contains(StandardOpenOption.APPEND)
                        && options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            throw new IllegalArgumentException("APPEND with READ or TRUNCATE_EXISTING");
        }
        String s = p(path).vfsString();
        int flags = flags(options);
        int mode = mode(attrs, 0666);
        return call(s, () -> {
            OpenFile f = vfs().open(s, flags, mode);
            boolean pseudo;
            try {
                pseudo = OpenFlags.writable(flags)
                        && PSEUDO.contains(vfs().statfs(s).type());
            } catch (KernelException e) {
                f.close();
                throw e;
            }
            return new VfsFileChannel(this, f, f.path(), pseudo, options.contains(StandardOpenOption.DELETE_ON_CLOSE));
        });
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        VfsPath d = p(dir);
        return new VfsDirectoryStream(d, call(d.vfsString(), () -> vfs().readdir(d.vfsString())), filter);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        String s = p(dir).vfsString();
        int mode = mode(attrs, 0777);
        run(s, () -> vfs().mkdir(s, mode));
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        String s = p(link).vfsString();
        run(s, () -> vfs().symlink(target.toString(), s));
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        String s = p(link).vfsString();
        String e = p(existing).vfsString();
        run(s, () -> vfs().link(e, s));
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        String s = p(link).vfsString();
        return fs.getPath(call(s, () -> vfs().readlink(s)));
    }

    @Override
    public void delete(Path path) throws IOException {
        String s = p(path).vfsString();
        run(s, () -> {
            if (vfs().lstat(s).isDirectory()) {
                vfs().rmdir(s);
            } else {
                vfs().unlink(s);
            }
        });
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        Set<CopyOption> opts = Set.of(options);
        String from = p(source).vfsString();
        String to = p(target).vfsString();
        Stat st = call(from, () -> vfs().stat(from));
        prepareTarget(to, opts.contains(StandardCopyOption.REPLACE_EXISTING));
        if (st.isDirectory()) {
            run(to, () -> vfs().mkdir(to, st.permissions()));
        } else {
            Copier.copy(this, from, to, st.permissions());
        }
        if (opts.contains(StandardCopyOption.COPY_ATTRIBUTES)) {
            run(to, () -> vfs().utimens(to, st.atime(), st.mtime()));
        }
    }

    private void prepareTarget(String to, boolean replace) throws IOException {
        Stat existing;
        try {
            existing = vfs().lstat(to);
        } catch (KernelException e) {
            if (e.errno() == Errno.ENOENT) {
                return;
            }
            throw Errors.of(to, e);
        }
        if (!replace) {
            throw new FileAlreadyExistsException(to);
        }
        run(to, () -> {
            if (existing.isDirectory()) {
                vfs().rmdir(to);
            } else {
                vfs().unlink(to);
            }
        });
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        String from = p(source).vfsString();
        String to = p(target).vfsString();
        boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
        if (!replace && exists(to)) {
            throw new FileAlreadyExistsException(to);
        }
        run(from, () -> vfs().rename(from, to));
    }

    private boolean exists(String path) {
        try {
            vfs().lstat(path);
            return true;
        } catch (KernelException e) {
            return false;
        }
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (path.equals(path2)) {
            return true;
        }
        if (!(path2 instanceof VfsPath)) {
            return false;
        }
        String a = p(path).vfsString();
        String b = p(path2).vfsString();
        Stat sa = call(a, () -> vfs().stat(a));
        Stat sb = call(b, () -> vfs().stat(b));
        return sa.dev() == sb.dev() && sa.ino() == sb.ino();
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        String abs = p(path).toAbsolutePath().normalize().toString();
        call(abs, () -> vfs().stat(abs));
        MountInfo best = null;
        for (MountInfo m : vfs().mounts()) {
            String t = m.target();
            boolean under = abs.equals(t) || abs.startsWith(t.endsWith("/") ? t : t + "/");
            if (under && (best == null || t.length() >= best.target().length())) {
                best = m;
            }
        }
        if (best == null) {
            throw Errors.of(abs, new KernelException(Errno.ENOENT));
        }
        return new VfsFileStore(this, best);
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        String s = p(path).vfsString();
        Stat st = call(s, () -> vfs().stat(s));
        // kmodel runs as root: read and write are always allowed (CAP_DAC_OVERRIDE); execute needs an x bit
        // or a directory (fs/namei.c generic_permission)
        for (AccessMode m : modes) {
            if (m == AccessMode.EXECUTE && !st.isDirectory() && (st.mode() & 0111) == 0) {
                throw Errors.of(s, new KernelException(Errno.EACCES));
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (!type.isAssignableFrom(VfsAttributeView.class)) {
            return null;
        }
        return (V) new VfsAttributeView(this, p(path), follow(options));
    }

    static boolean follow(LinkOption... options) {
        return !Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
    }

    Stat stat(VfsPath path, boolean follow) throws IOException {
        String s = path.vfsString();
        return call(s, () -> follow ? vfs().stat(s) : vfs().lstat(s));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
            throw new UnsupportedOperationException(type.getName());
        }
        return (A) new VfsAttributes(stat(p(path), follow(options)));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String names = colon < 0 ? attributes : attributes.substring(colon + 1);
        if (!fs.supportedFileAttributeViews().contains(view)) {
            throw new UnsupportedOperationException("view '" + view + "' not available");
        }
        return new VfsAttributes(stat(p(path), follow(options))).toMap(view, names);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        String name = attribute.substring(attribute.indexOf(':') + 1);
        VfsAttributeView view = new VfsAttributeView(this, p(path), follow(options));
        switch (name) {
            case "lastModifiedTime" -> view.setTimes((java.nio.file.attribute.FileTime) value, null, null);
            case "lastAccessTime" -> view.setTimes(null, (java.nio.file.attribute.FileTime) value, null);
            case "creationTime" -> {} // there is no birth time to set, as on Linux
            case "permissions" -> {
                @SuppressWarnings("unchecked")
                Set<PosixFilePermission> perms = (Set<PosixFilePermission>) value;
                view.setPermissions(perms);
            }
            default -> throw new UnsupportedOperationException("'" + attribute + "' cannot be set");
        }
    }
}
