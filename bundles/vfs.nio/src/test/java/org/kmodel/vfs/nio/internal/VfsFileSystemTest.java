package org.kmodel.vfs.nio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.ext4.testing.TestExt4;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.fs.xfs.testing.TestXfs;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/**
 * The java.nio.file contract over kmodel's VFS, through the public API only ({@code Files}, {@code Path},
 * channels), in the style of Jimfs' suite; every case on tmpfs, ext4 and xfs, each mounted at /mnt.
 */
class VfsFileSystemTest {
    @TempDir
    Path host;

    private FileSystem boot(String type) {
        BlockDeviceFactory devs = TestBlockDevices.factory();
        Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType(), TestExt4.fsType(devs), TestXfs.fsType(devs));
        vfs.mount("tmpfs", "/", "tmpfs", "");
        vfs.mkdir("/mnt", 0755);
        switch (type) {
            case "tmpfs" -> vfs.mount("tmpfs", "/mnt", "tmpfs", "size=256k");
            case "ext4" -> {
                TestExt4.mkfs(devs).mkfs(host.resolve("e.img"), 64L << 20, Map.of());
                vfs.mount(host.resolve("e.img").toString(), "/mnt", "ext4", "");
            }
            default -> {
                TestXfs.mkfs(devs).mkfs(host.resolve("x.img"), 64L << 20, Map.of());
                vfs.mount(host.resolve("x.img").toString(), "/mnt", "xfs", "");
            }
        }
        return new VfsFileSystemProvider(() -> vfs).fileSystem();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmpfs", "ext4", "xfs"})
    void writeReadAppendAndAttributes(String type) throws IOException {
        FileSystem fs = boot(type);
        Path f = fs.getPath("/mnt/a.txt");
        Files.writeString(f, "hello\n");
        Files.writeString(f, "world\n", StandardOpenOption.APPEND);
        assertEquals("hello\nworld\n", Files.readString(f));
        assertEquals(List.of("hello", "world"), Files.readAllLines(f));
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        assertEquals(12, a.size());
        assertTrue(a.isRegularFile());
        assertFalse(a.isDirectory());
        assertTrue(Files.isDirectory(fs.getPath("/mnt")));
        assertEquals(
                "rw-r--r--",
                PosixFilePermissions.toString(
                        Files.readAttributes(f, PosixFileAttributes.class).permissions()),
                "0666 & ~022");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(f).toMillis());
        assertEquals(12L, Files.readAttributes(f, "unix:size,nlink").get("size"));
        assertEquals(1, Files.readAttributes(f, "unix:nlink").get("nlink"));
        Files.writeString(f, "x");
        assertEquals("x", Files.readString(f), "TRUNCATE_EXISTING by default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmpfs", "ext4", "xfs"})
    void channelPositionSizeTruncateForce(String type) throws IOException {
        FileSystem fs = boot(type);
        Path f = fs.getPath("/mnt/c");
        try (FileChannel ch =
                FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[8192]));
            assertEquals(8192, ch.position());
            assertEquals(8192, ch.size());
            ch.position(100).write(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(103, ch.position());
            ch.write(ByteBuffer.wrap("Z".getBytes(StandardCharsets.US_ASCII)), 20_000);
            assertEquals(20_001, ch.size(), "pwrite past EOF extends");
            assertEquals(103, ch.position(), "pwrite keeps the position");
            ch.truncate(101);
            assertEquals(101, ch.size());
            assertEquals(101, ch.position(), "truncate below the position moves it");
            ch.force(true);
            ByteBuffer b = ByteBuffer.allocate(4);
            assertEquals(3, ch.read(b, 98));
            assertArrayEquals(new byte[] {0, 0, 'a', 0}, b.array());
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)), "EOF");
        }
        assertThrows(
                FileAlreadyExistsException.class,
                () -> Files.newByteChannel(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        try (SeekableByteChannel ch = Files.newByteChannel(f)) {
            assertThrows(java.nio.channels.NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmpfs", "ext4", "xfs"})
    void directoriesLinksMoveCopyDelete(String type) throws IOException {
        FileSystem fs = boot(type);
        Path d = Files.createDirectories(fs.getPath("/mnt/x/y/z"));
        assertTrue(Files.isDirectory(d));
        Files.writeString(d.resolve("f1"), "1");
        Files.writeString(d.resolve("f2"), "22");
        try (Stream<Path> s = Files.list(d)) {
            assertEquals(
                    List.of("/mnt/x/y/z/f1", "/mnt/x/y/z/f2"),
                    s.map(Path::toString).sorted().toList());
        }
        try (Stream<Path> s = Files.walk(fs.getPath("/mnt/x"))) {
            assertEquals(5, s.count());
        }
        assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(d));
        Files.copy(d.resolve("f2"), d.resolve("f3"));
        assertEquals("22", Files.readString(d.resolve("f3")));
        assertThrows(FileAlreadyExistsException.class, () -> Files.copy(d.resolve("f1"), d.resolve("f3")));
        Files.copy(d.resolve("f1"), d.resolve("f3"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals("1", Files.readString(d.resolve("f3")));
        Files.move(d.resolve("f3"), fs.getPath("/mnt/moved"));
        assertFalse(Files.exists(d.resolve("f3")));
        Files.createSymbolicLink(fs.getPath("/mnt/link"), fs.getPath("moved"));
        assertTrue(Files.isSymbolicLink(fs.getPath("/mnt/link")));
        assertEquals("moved", Files.readSymbolicLink(fs.getPath("/mnt/link")).toString());
        assertEquals("1", Files.readString(fs.getPath("/mnt/link")));
        Files.createLink(fs.getPath("/mnt/hard"), fs.getPath("/mnt/moved"));
        assertTrue(Files.isSameFile(fs.getPath("/mnt/hard"), fs.getPath("/mnt/moved")));
        Files.delete(fs.getPath("/mnt/hard"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Files.delete(fs.getPath("/mnt/hard")));
        assertEquals("/mnt/hard: No such file or directory", e.getMessage());
        assertEquals(Errno.ENOENT, Errors.errno(e));
        assertTrue(Files.deleteIfExists(fs.getPath("/mnt/moved")));
        assertFalse(Files.deleteIfExists(fs.getPath("/mnt/moved")));
        assertEquals(type, Files.getFileStore(d).type());
        assertTrue(Files.getFileStore(d).getTotalSpace() > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmpfs", "ext4", "xfs"})
    void hostPathsResolveInsideTheModel(String type) throws IOException {
        FileSystem fs = boot(type);
        Path cwd = fs.getPath("/mnt");
        // what Gogo does for "> /tmp/probe" and "> probe": Paths.get(word), resolved against the session cwd
        Path abs = cwd.resolve(Paths.get("/mnt/probe"));
        Path rel = cwd.resolve(Paths.get("rel"));
        assertSame(fs, abs.getFileSystem());
        assertSame(fs, rel.getFileSystem());
        assertEquals("/mnt/rel", rel.toString());
        Files.writeString(abs, "in the model");
        assertEquals("in the model", Files.readString(fs.getPath("/mnt/probe")));
        assertFalse(Files.exists(Paths.get("/mnt/probe"))
                && Files.readString(Paths.get("/mnt/probe")).equals("in the model"));
        assertThrows(UnsupportedOperationException.class, abs::toFile, "never a java.io.File on the host");
        assertEquals("kmodel:///mnt/probe", abs.toUri().toString());
        assertEquals(abs, fs.provider().getPath(abs.toUri()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmpfs", "ext4", "xfs"})
    void pathSyntax(String type) {
        FileSystem fs = boot(type);
        Path p = fs.getPath("/a/b/../c/./d");
        assertEquals("/a/c/d", p.normalize().toString());
        assertEquals("d", p.getFileName().toString());
        assertEquals("/a/b/../c/.", p.getParent().toString());
        assertEquals(6, p.getNameCount());
        assertEquals(
                "../c/d", fs.getPath("/a/b").relativize(fs.getPath("/a/c/d")).toString());
        assertTrue(fs.getPath("/a/b/c").startsWith(fs.getPath("/a")));
        assertTrue(fs.getPath("/a/b/c").endsWith(fs.getPath("b/c")));
        assertFalse(fs.getPath("/a/bc").startsWith(fs.getPath("/a/b")));
        assertTrue(fs.getPathMatcher("glob:/proc/*/maps").matches(fs.getPath("/proc/1/maps")));
        assertFalse(fs.getPathMatcher("glob:/proc/*").matches(fs.getPath("/proc/1/maps")));
        assertTrue(fs.getPathMatcher("glob:**.{ko,jar}").matches(fs.getPath("/lib/modules/x.ko")));
        assertEquals("/", fs.getPath("/..").normalize().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmpfs"})
    void aWriteErrorIsNotSwallowedByPrintStream(String type) throws IOException {
        FileSystem fs = boot(type);
        Path f = fs.getPath("/mnt/big");
        try (OutputStream os = Files.newOutputStream(f);
                PrintStream ps = new PrintStream(os, true)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> {
                for (int i = 0; i < 1024; i++) {
                    ps.write(new byte[4096]);
                }
            });
            assertEquals(Errno.ENOSPC, Errors.errno(e), "the 256k tmpfs is full");
        }
        Files.delete(f);
        String names = Files.list(fs.getPath("/mnt")).map(Path::toString).collect(Collectors.joining());
        assertEquals("", names);
    }
}
