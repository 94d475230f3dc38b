package org.kmodel.vfs.nio.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.StatFs;

/**
 * One mount as a {@link FileStore}: sizes from statfs(2) of its mount point, read-only from the mount's flag as it is
 * now (a remount changes it, as statvfs's ST_RDONLY follows it for the JDK's own stores).
 */
final class VfsFileStore extends FileStore {
    private final VfsFileSystemProvider provider;
    private final String mountPoint;
    private final String type;
    private final String source;
    private final int mountId;
    private final boolean readOnlyWhenMade;

    VfsFileStore(VfsFileSystemProvider provider, MountInfo mount) {
        this.provider = provider;
        this.mountPoint = mount.target();
        this.type = mount.fsType();
        this.source = mount.source();
        this.mountId = mount.id();
        this.readOnlyWhenMade = readOnly(mount);
    }

    /**
     * The mount's read-only flag: /proc/mounts prints {@code ro} or {@code rw} first from it (fs/proc_namespace.c
     * {@code show_vfsmnt}; docs/vfs.md#read-only-mounts).
     */
    private static boolean readOnly(MountInfo m) {
        return m.options().equals("ro") || m.options().startsWith("ro,");
    }

    private StatFs statfs() throws IOException {
        return provider.call(mountPoint, () -> provider.vfs().statfs(mountPoint));
    }

    @Override
    public String name() {
        return source;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public boolean isReadOnly() {
        try {
            for (MountInfo m : provider.vfs().mounts()) {
                if (m.id() == mountId) {
                    return readOnly(m);
                }
            }
        } catch (KernelException e) {
            // no VFS any more (ENODEV): isReadOnly cannot fail, the flag the mount had is the best answer
        }
        return readOnlyWhenMade; // unmounted since: what it was
    }

    @Override
    public long getTotalSpace() throws IOException {
        StatFs s = statfs();
        return s.blocks() * s.bsize();
    }

    @Override
    public long getUsableSpace() throws IOException {
        StatFs s = statfs();
        return s.bavail() * s.bsize();
    }

    @Override
    public long getUnallocatedSpace() throws IOException {
        StatFs s = statfs();
        return s.bfree() * s.bsize();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return name.equals("basic") || name.equals("posix") || name.equals("unix");
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) throws IOException {
        throw new UnsupportedOperationException("'" + attribute + "' not recognized");
    }

    @Override
    public String toString() {
        return mountPoint + " (" + source + ")";
    }
}
