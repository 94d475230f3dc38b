package org.kmodel.vfs.nio.internal;

import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A path in kmodel's namespace: the string a system call takes, split into names. Purely syntactic, like
 * {@code UnixPath}; {@code ..} is resolved by {@link #normalize()} lexically and by the VFS's path walk
 * (fs/namei.c) when a file is opened.
 *
 * <p>Unlike the JDK's providers, {@link #resolve(Path)} accepts a path of another provider by its string form:
 * Gogo builds redirection targets with {@code Paths.get(word)} (a host path object) and resolves them against
 * the session's working directory, and that must land in the model, never on the host.
 */
final class VfsPath implements Path {
    private final VfsFileSystem fs;
    private final boolean absolute;
    private final String[] names;

    VfsPath(VfsFileSystem fs, boolean absolute, String[] names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = names;
    }

    static VfsPath parse(VfsFileSystem fs, String path) {
        if (path.indexOf('\0') >= 0) {
            throw new java.nio.file.InvalidPathException(path, "Nul character not allowed");
        }
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        return new VfsPath(fs, path.startsWith("/"), parts.toArray(new String[0]));
    }

    /** The string handed to the VFS: absolute paths as they are, relative ones against the VFS's cwd. */
    String vfsString() {
        return toString().isEmpty() ? "." : toString();
    }

    @Override
    public VfsFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? new VfsPath(fs, true, new String[0]) : null;
    }

    @Override
    public Path getFileName() {
        return names.length == 0 ? null : new VfsPath(fs, false, new String[] {names[names.length - 1]});
    }

    @Override
    public Path getParent() {
        if (names.length == 0 || names.length == 1 && !absolute) {
            return null;
        }
        return new VfsPath(fs, absolute, Arrays.copyOf(names, names.length - 1));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public Path getName(int index) {
        if (index < 0 || index >= names.length) {
            throw new IllegalArgumentException("no name " + index + " in " + this);
        }
        return new VfsPath(fs, false, new String[] {names[index]});
    }

    @Override
    public Path subpath(int begin, int end) {
        if (begin < 0 || end > names.length || begin >= end) {
            throw new IllegalArgumentException("subpath(" + begin + ", " + end + ") of " + this);
        }
        return new VfsPath(fs, false, Arrays.copyOfRange(names, begin, end));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof VfsPath o) || o.absolute != absolute || o.names.length > names.length) {
            return false;
        }
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof VfsPath o)
                || o.absolute && !absolute
                || o.names.length > names.length
                || o.absolute && o.names.length != names.length) {
            return false;
        }
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[o.names.length - 1 - i].equals(names[names.length - 1 - i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                    continue;
                }
                if (absolute) {
                    continue; // "/.." is "/"
                }
            }
            out.add(n);
        }
        return new VfsPath(fs, absolute, out.toArray(new String[0]));
    }

    @Override
    public Path resolve(Path other) {
        VfsPath o = other instanceof VfsPath v && v.fs == fs ? v : parse(fs, other.toString());
        if (o.absolute) {
            return o;
        }
        if (o.names.length == 0) {
            return this;
        }
        String[] joined = Arrays.copyOf(names, names.length + o.names.length);
        System.arraycopy(o.names, 0, joined, names.length, o.names.length);
        return new VfsPath(fs, absolute, joined);
    }

    @Override
    public Path resolve(String other) {
        return resolve(parse(fs, other));
    }

    @Override
    public Path relativize(Path other) {
        VfsPath o = check(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("'" + other + "' is not of the same kind as '" + this + "'");
        }
        int common = 0;
        while (common < names.length && common < o.names.length && names[common].equals(o.names[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
        return new VfsPath(fs, false, out.toArray(new String[0]));
    }

    @Override
    public URI toUri() {
        return URI.create(VfsFileSystemProvider.SCHEME + "://" + ((VfsPath) toAbsolutePath()).toString());
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : parse(fs, fs.cwd()).resolve(this);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws java.io.IOException {
        VfsPath abs = (VfsPath) toAbsolutePath().normalize();
        fs.provider().readAttributes(abs, java.nio.file.attribute.BasicFileAttributes.class, options);
        return abs;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        if (!(Objects.requireNonNull(watcher) instanceof PollingWatchService p)) {
            throw new java.nio.file.ProviderMismatchException("not a watch service of kmodel's filesystem");
        }
        return p.register(this);
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(check(other).toString());
    }

    VfsPath check(Path other) {
        if (!(Objects.requireNonNull(other) instanceof VfsPath o) || o.fs != fs) {
            throw new ProviderMismatchException(String.valueOf(other));
        }
        return o;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VfsPath p && p.fs == fs && p.absolute == absolute && Arrays.equals(p.names, names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names) * 31 + (absolute ? 1 : 0);
    }

    @Override
    public String toString() {
        String joined = String.join("/", names);
        return absolute ? "/" + joined : joined;
    }
}
