package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;

/**
 * {@code ->release} ({@link org.kmodel.vfs.spi.Inode#release}): called once per open file description at its
 * close, with the description's FMODE_WRITE, before an unlinked inode is evicted; never for O_PATH descriptions
 * and never twice; the dirty pages are written back first only if {@code flushBeforeRelease} asks for it.
 */
class ReleaseHookTest {
    private final Fixture fx = new Fixture();

    private List<String> releases() {
        return fx.fs.calls.stream()
                .filter(c -> c.startsWith("release") || c.startsWith("evict"))
                .toList();
    }

    @Test
    void eachDescriptionIsReleasedOnceWithItsAccessMode() {
        OpenFile w = fx.vfs.open("/f", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644);
        long ino = w.fstat().ino();
        OpenFile r = fx.vfs.open("/f", OpenFlags.O_RDONLY, 0);
        OpenFile rw = fx.vfs.open("/f", OpenFlags.O_RDWR, 0);
        OpenFile path = fx.vfs.open("/f", OpenFlags.O_PATH, 0);
        assertEquals(List.of(), releases(), "nothing before a close");
        r.close();
        w.close();
        w.close(); // a second close is a no-op
        path.close();
        assertEquals(List.of("release " + ino + " r nlink=1", "release " + ino + " w nlink=1"), releases());
        rw.close();
        assertEquals(
                List.of(
                        "release " + ino + " r nlink=1",
                        "release " + ino + " w nlink=1",
                        "release " + ino + " w nlink=1"),
                releases());
    }

    @Test
    void dirtyPagesAreWrittenBackBeforeReleaseOnlyWhenTheFilesystemAsks() {
        OpenFile a = fx.vfs.open("/a", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
        a.pwrite(0, new byte[] {1, 2, 3}, 0, 3);
        fx.fs.calls.clear();
        a.close();
        assertEquals(List.of("release " + ino("/a") + " w nlink=1"), io(), "the page stays dirty in the cache");

        fx.fs.flushBeforeRelease = true;
        OpenFile b = fx.vfs.open("/b", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
        b.pwrite(0, new byte[] {1, 2, 3}, 0, 3);
        fx.fs.calls.clear();
        b.close();
        assertEquals(List.of("writepage 0", "release " + ino("/b") + " w nlink=1"), io(), "filemap_flush first");
    }

    private long ino(String path) {
        return fx.vfs.stat(path).ino();
    }

    private List<String> io() {
        return fx.fs.calls.stream()
                .filter(c -> c.startsWith("release") || c.startsWith("writepage"))
                .toList();
    }

    @Test
    void anUnlinkedFileIsReleasedBeforeItIsEvicted() {
        OpenFile w = fx.vfs.open("/g", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
        long ino = w.fstat().ino();
        fx.vfs.unlink("/g");
        assertEquals(List.of(), releases(), "still open: neither released nor evicted");
        w.close();
        assertEquals(List.of("release " + ino + " w nlink=0", "evict " + ino), releases());
    }
}
