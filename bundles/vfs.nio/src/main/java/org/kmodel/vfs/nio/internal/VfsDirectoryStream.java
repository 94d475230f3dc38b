package org.kmodel.vfs.nio.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.kmodel.vfs.DirEntry;

/**
 * getdents64(2) of a directory as a {@link DirectoryStream}: the entries of one readdir call (a snapshot, as
 * a single getdents64 buffer is), in the filesystem's order, without "." and "..".
 */
final class VfsDirectoryStream implements DirectoryStream<Path> {
    private final List<Path> entries = new ArrayList<>();
    private boolean iterated;
    private boolean closed;

    VfsDirectoryStream(VfsPath dir, List<DirEntry> list, Filter<? super Path> filter) throws IOException {
        for (DirEntry e : list) {
            Path p = dir.resolve(e.name());
            if (filter == null || filter.accept(p)) {
                entries.add(p);
            }
        }
    }

    @Override
    public Iterator<Path> iterator() {
        if (closed || iterated) {
            throw new IllegalStateException(closed ? "closed" : "iterator() already called");
        }
        iterated = true;
        Iterator<Path> it = entries.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !closed && it.hasNext();
            }

            @Override
            public Path next() {
                if (closed) {
                    throw new java.util.NoSuchElementException();
                }
                return it.next();
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }
}
