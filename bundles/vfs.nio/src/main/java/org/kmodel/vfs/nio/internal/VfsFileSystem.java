package org.kmodel.vfs.nio.internal;

import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * kmodel's namespace as a {@link FileSystem}: one root, "/" as separator, every operation a VFS system call.
 * It cannot be closed (like the default file system); it outlives a swap of the VFS implementation, whose
 * current instance the provider asks for on each call.
 */
final class VfsFileSystem extends FileSystem {
    private final VfsFileSystemProvider provider;

    VfsFileSystem(VfsFileSystemProvider provider) {
        this.provider = provider;
    }

    @Override
    public VfsFileSystemProvider provider() {
        return provider;
    }

    /** The VFS task's working directory (getcwd), against which relative paths resolve. */
    String cwd() {
        try {
            return provider.vfs().getcwd();
        } catch (RuntimeException e) {
            return "/";
        }
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("kmodel's file system lives as long as the kernel");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(VfsPath.parse(this, "/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return provider.vfs().mounts().stream()
                .<FileStore>map(m -> new VfsFileStore(provider, m))
                .toList();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic", "posix", "unix");
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                sb.append(sb.length() > 0 ? "/" : "").append(m);
            }
        }
        return VfsPath.parse(this, sb.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("syntax:pattern expected: " + syntaxAndPattern);
        }
        String syntax = syntaxAndPattern.substring(0, colon);
        String pattern = syntaxAndPattern.substring(colon + 1);
        Pattern regex =
                switch (syntax.toLowerCase(java.util.Locale.ROOT)) {
                    case "glob" -> Pattern.compile(Globs.toRegex(pattern));
                    case "regex" -> Pattern.compile(pattern);
                    default -> throw new UnsupportedOperationException("syntax '" + syntax + "' not recognized");
                };
        return p -> regex.matcher(p.toString()).matches();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("kmodel has only root");
    }

    @Override
    public WatchService newWatchService() {
        // the model has no inotify: a polling service (Gogo's tail -f re-reads the file each period)
        return new PollingWatchService();
    }
}
