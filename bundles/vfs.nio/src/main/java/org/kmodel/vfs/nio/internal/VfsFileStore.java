package org.kmodel.vfs.nio.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import org.kmodel.vfs.StatFs;

/** One mount as a {@link FileStore}: sizes from statfs(2) of its mount point. */
final class VfsFileStore extends FileStore {
    private final VfsFileSystemProvider provider;
    private final String mountPoint;
    private final String type;
    private final String source;

    VfsFileStore(VfsFileSystemProvider provider, String mountPoint, String type, String source) {
        this.provider = provider;
        this.mountPoint = mountPoint;
        this.type = type;
        this.source = source;
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
        return false;
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
