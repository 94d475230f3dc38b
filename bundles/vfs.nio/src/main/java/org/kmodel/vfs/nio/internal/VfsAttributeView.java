package org.kmodel.vfs.nio.internal;

import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The basic and posix views: stat(2), utimensat(2) and chmod(2). Owners cannot change: everything is root's. */
final class VfsAttributeView implements PosixFileAttributeView {
    private final VfsFileSystemProvider provider;
    private final VfsPath path;
    private final boolean follow;

    VfsAttributeView(VfsFileSystemProvider provider, VfsPath path, boolean follow) {
        this.provider = provider;
        this.path = path;
        this.follow = follow;
    }

    @Override
    public String name() {
        return "posix";
    }

    @Override
    public PosixFileAttributes readAttributes() throws IOException {
        return new VfsAttributes(provider.stat(path, follow));
    }

    @Override
    public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) throws IOException {
        long m = lastModifiedTime == null ? -1 : lastModifiedTime.to(TimeUnit.NANOSECONDS);
        long a = lastAccessTime == null ? -1 : lastAccessTime.to(TimeUnit.NANOSECONDS);
        if (m < 0 && a < 0) {
            return;
        }
        String s = path.vfsString();
        provider.call(s, () -> {
            provider.vfs().utimens(s, a, m);
            return null;
        });
    }

    @Override
    public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
        String s = path.vfsString();
        int keep = provider.stat(path, true).mode() & 07000;
        provider.call(s, () -> {
            provider.vfs().chmod(s, keep | VfsAttributes.mode(perms));
            return null;
        });
    }

    @Override
    public UserPrincipal getOwner() throws IOException {
        return readAttributes().owner();
    }

    @Override
    public void setOwner(UserPrincipal owner) {
        throw new UnsupportedOperationException("kmodel has only root");
    }

    @Override
    public void setGroup(GroupPrincipal group) {
        throw new UnsupportedOperationException("kmodel has only root");
    }
}
