package org.kmodel.vfs.nio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 11: {@link FileStore#isReadOnly()} of a model path is its mount's read-only flag (docs/vfs.md#read-only-mounts),
 * through the public java.nio API only, as the JDK's own store of a read-only mount on the host says it (checked on a
 * read-only tmpfs the test mounts in a temporary directory when it runs as root).
 */
class Issue11ReadOnlyFileStoreTest {
    private final Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
    private final FileSystem fs;

    Issue11ReadOnlyFileStoreTest() {
        vfs.mount("tmpfs", "/", "tmpfs", "");
        vfs.mkdir("/ro", 0755);
        vfs.mount("tmpfs", "/ro", "tmpfs", "ro");
        fs = new VfsFileSystemProvider(() -> vfs).fileSystem();
    }

    private FileStore store(String path) throws IOException {
        return Files.getFileStore(fs.getPath(path));
    }

    @Test
    void aReadOnlyMountsStoreIsReadOnly() throws IOException {
        assertTrue(store("/ro").isReadOnly());
        assertFalse(store("/").isReadOnly());
        FileSystemException e =
                assertThrows(FileSystemException.class, () -> Files.writeString(fs.getPath("/ro/x"), "x"));
        assertEquals("/ro/x: Read-only file system", e.getMessage());
        Map<String, Boolean> all = new java.util.TreeMap<>();
        StreamSupport.stream(fs.getFileStores().spliterator(), false)
                .forEach(s -> all.put(s.toString(), s.isReadOnly()));
        assertEquals(Map.of("/ (tmpfs)", false, "/ro (tmpfs)", true), all);
    }

    @Test
    void theStoreFollowsARemount() throws IOException {
        FileStore ro = store("/ro");
        FileStore root = store("/");
        vfs.mount("none", "/ro", null, "remount,rw");
        assertFalse(ro.isReadOnly(), "the store made before the remount sees it");
        Files.writeString(fs.getPath("/ro/x"), "x");
        vfs.mount("none", "/", null, "remount,ro");
        assertTrue(root.isReadOnly());
        assertFalse(store("/ro/x").isReadOnly(), "a mount below a read-only one is its own");
        vfs.mount("none", "/", null, "remount,rw");
        assertFalse(root.isReadOnly());
    }

    @Test
    void theJdksStoreOfAReadOnlyHostMountSaysTheSame() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: cannot mount a tmpfs to compare with");
        Path dir = Files.createTempDirectory("kmodel-issue11-store");
        Path mnt = Files.createDirectory(dir.resolve("ro"));
        try {
            assumeTrue(
                    run("mount", "-t", "tmpfs", "-o", "ro,size=64k", "kmodel-issue11", mnt.toString()) == 0,
                    "cannot mount a tmpfs here");
            try {
                assertEquals(Files.getFileStore(mnt).isReadOnly(), store("/ro").isReadOnly());
                assertEquals(Files.getFileStore(dir).isReadOnly(), store("/").isReadOnly());
            } finally {
                run("umount", mnt.toString());
            }
        } finally {
            run("rm", "-rf", dir.toString());
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
