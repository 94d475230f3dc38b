package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;

/**
 * Issue 7: data written and never synced survives the end of kmodel. The VFS component's deactivation writes
 * back every dirty page and unmounts every mount, children before parents, forced; a filesystem type that
 * leaves while the VFS runs has its mounts written back before its own deactivation commits them.
 */
class Issue7ShutdownWritebackTest {
    private final VfsComponent vfs = new VfsComponent();
    private final MemFs fs = new MemFs("memfs");
    private final MemFs other = new MemFs("otherfs");

    Issue7ShutdownWritebackTest() {
        vfs.bindFileSystemType(fs, Map.of("service.id", 1L));
        vfs.bindFileSystemType(other, Map.of("service.id", 2L));
    }

    private OpenFile write(String path, String text) {
        OpenFile f = vfs.open(path, OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        f.pwrite(0, b, 0, b.length);
        return f;
    }

    private MemFs.Sb sb(String target) {
        return (MemFs.Sb) vfs.mounts.all().stream()
                .filter(m -> m.target.equals(target))
                .findFirst()
                .orElseThrow()
                .sb;
    }

    /** The bytes the filesystem itself holds for {@code name} in the root of {@code sb} (null: never written). */
    private static byte[] onDisk(MemFs.Sb sb, String name, int len) {
        byte[] page = ((MemFs.Node) sb.root.lookup(name)).data.get(0L);
        return page == null ? null : Arrays.copyOf(page, len);
    }

    private List<String> kills(MemFs t) {
        return t.calls.stream().filter(c -> c.startsWith("kill_sb")).toList();
    }

    @Test
    void deactivateWritesBackDirtyPagesThenUnmountsChildrenBeforeParents() {
        vfs.mount("root", "/", "memfs", "");
        vfs.mkdir("/a", 0755);
        vfs.mount("a", "/a", "memfs", "");
        vfs.mkdir("/a/b", 0755);
        vfs.mount("b", "/a/b", "memfs", "");
        vfs.mkdir("/c", 0755);
        vfs.mount("c", "/c", "memfs", "");
        write("/f", "nosync").close();
        OpenFile open = write("/a/b/g", "still open"); // forced: an open file does not keep the mount
        vfs.chdir("/a/b"); // nor does the cwd
        MemFs.Sb root = sb("/");
        MemFs.Sb b = sb("/a/b");
        assertNull(onDisk(root, "f", 6), "not written back before shutdown");

        vfs.deactivate();

        assertArrayEquals("nosync".getBytes(StandardCharsets.UTF_8), onDisk(root, "f", 6));
        assertArrayEquals("still open".getBytes(StandardCharsets.UTF_8), onDisk(b, "g", 10));
        assertEquals(
                List.of("kill_sb c", "kill_sb b", "kill_sb a", "kill_sb root"),
                kills(fs),
                "reverse mount order: children before parents");
        List<String> c = fs.calls;
        int write = c.indexOf("writepage 0");
        assertTrue(
                write >= 0 && write < c.indexOf("sync_fs b") && c.indexOf("sync_fs b") < c.indexOf("kill_sb b"),
                "writepage, then ->sync_fs, then ->kill_sb: " + c);
        assertTrue(vfs.mounts().isEmpty());
        assertEquals(0, vfs.mountCount("memfs"), "every mount dropped its reference on the type");
        open.close();
    }

    @Test
    void aFailingMountDoesNotStopTheShutdown() {
        vfs.mount("root", "/", "memfs", "");
        vfs.mkdir("/x", 0755);
        vfs.mount("x", "/x", "memfs", "failkill");
        write("/f", "kept").close();
        MemFs.Sb root = sb("/");

        vfs.deactivate();

        assertEquals(List.of("kill_sb x", "kill_sb root"), kills(fs));
        assertArrayEquals("kept".getBytes(StandardCharsets.UTF_8), onDisk(root, "f", 4));
        assertTrue(vfs.mounts().isEmpty());
    }

    @Test
    void aLeavingTypeHasItsMountsWrittenBackAndTheyStayUsable() {
        vfs.mount("root", "/", "memfs", "");
        vfs.mkdir("/o", 0755);
        vfs.mount("o", "/o", "otherfs", "");
        write("/f", "root data").close();
        write("/o/f", "other data").close();
        MemFs.Sb root = sb("/");
        MemFs.Sb o = sb("/o");

        vfs.unbindFileSystemType(other, Map.of("service.id", 2L));

        assertArrayEquals(
                "other data".getBytes(StandardCharsets.UTF_8),
                onDisk(o, "f", 10),
                "the leaving type's mount was written back before the type deactivates");
        assertTrue(other.calls.contains("sync_fs o"));
        assertNull(onDisk(root, "f", 9), "another type's mount is left alone");
        assertTrue(kills(other).isEmpty(), "the mount stays until umount (OSGi cannot refuse the stop)");
        assertEquals(
                "other data",
                new String(Fixture.read(vfs.open("/o/f", OpenFlags.O_RDONLY, 0), 0, 10), StandardCharsets.UTF_8));
        assertFalse(vfs.filesystems().stream().anyMatch(l -> l.endsWith("\totherfs")));

        vfs.deactivate();
        assertEquals(List.of("kill_sb o"), kills(other), "the old implementation's super block is killed at shutdown");
        assertEquals(List.of("kill_sb root"), kills(fs));
        assertArrayEquals("root data".getBytes(StandardCharsets.UTF_8), onDisk(root, "f", 9));
    }
}
