package org.kmodel.vfs.nio.internal;

import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.kmodel.vfs.FileType;
import org.kmodel.vfs.Stat;

/** stat(2) as {@link PosixFileAttributes}, and as the {@code basic:}, {@code posix:} and {@code unix:} maps. */
record VfsAttributes(Stat st) implements PosixFileAttributes {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(BITS[i]);
            }
        }
        return s;
    }

    static int mode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (perms.contains(BITS[i])) {
                mode |= 1 << i;
            }
        }
        return mode;
    }

    private static FileTime time(long ns) {
        return FileTime.from(ns, TimeUnit.NANOSECONDS);
    }

    @Override
    public FileTime lastModifiedTime() {
        return time(st.mtime());
    }

    @Override
    public FileTime lastAccessTime() {
        return time(st.atime());
    }

    @Override
    public FileTime creationTime() {
        return time(st.ctime());
    }

    @Override
    public boolean isRegularFile() {
        return st.type() == FileType.REGULAR;
    }

    @Override
    public boolean isDirectory() {
        return st.type() == FileType.DIRECTORY;
    }

    @Override
    public boolean isSymbolicLink() {
        return st.type() == FileType.SYMLINK;
    }

    @Override
    public boolean isOther() {
        return !isRegularFile() && !isDirectory() && !isSymbolicLink();
    }

    @Override
    public long size() {
        return st.size();
    }

    @Override
    public Object fileKey() {
        return st.dev() + ":" + st.ino();
    }

    @Override
    public UserPrincipal owner() {
        return new Principal(st.uid() == 0 ? "root" : String.valueOf(st.uid()));
    }

    @Override
    public GroupPrincipal group() {
        return new Principal(st.gid() == 0 ? "root" : String.valueOf(st.gid()));
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        return permissions(st.mode());
    }

    Map<String, Object> toMap(String view, String attrs) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("lastModifiedTime", lastModifiedTime());
        all.put("lastAccessTime", lastAccessTime());
        all.put("creationTime", creationTime());
        all.put("size", size());
        all.put("isRegularFile", isRegularFile());
        all.put("isDirectory", isDirectory());
        all.put("isSymbolicLink", isSymbolicLink());
        all.put("isOther", isOther());
        all.put("fileKey", fileKey());
        if (!view.equals("basic")) {
            all.put("permissions", permissions());
            all.put("owner", owner());
            all.put("group", group());
        }
        if (view.equals("unix")) {
            all.put("mode", st.mode());
            all.put("ino", st.ino());
            all.put("dev", st.dev());
            all.put("rdev", st.rdev());
            all.put("nlink", st.nlink());
            all.put("uid", st.uid());
            all.put("gid", st.gid());
            all.put("ctime", time(st.ctime()));
        }
        if (attrs.equals("*")) {
            return all;
        }
        Map<String, Object> some = new LinkedHashMap<>();
        for (String a : attrs.split(",")) {
            if (!all.containsKey(a)) {
                throw new IllegalArgumentException("'" + a + "' not recognized");
            }
            some.put(a, all.get(a));
        }
        return some;
    }

    /** Users and groups by name; kmodel runs everything as root. */
    record Principal(String getName) implements UserPrincipal, GroupPrincipal {}
}
