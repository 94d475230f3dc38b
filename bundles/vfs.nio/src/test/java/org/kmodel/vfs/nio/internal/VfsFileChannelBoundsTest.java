package org.kmodel.vfs.nio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.kmodel.fs.tmpfs.testing.TestTmpfs;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/** FileChannel's argument checks: a bad buffer range or a negative position fails before any byte moves. */
class VfsFileChannelBoundsTest {
    private final FileSystem fs;

    VfsFileChannelBoundsTest() {
        Vfs vfs = TestVfs.boot(KernelRelease.V6_18, TestTmpfs.fsType());
        vfs.mount("tmpfs", "/", "tmpfs", "");
        fs = new VfsFileSystemProvider(() -> vfs).fileSystem();
    }

    @Test
    void aScatteringReadOrGatheringWriteOutsideTheArrayMovesNothing() throws Exception {
        Path f = fs.getPath("/f");
        Files.writeString(f, "abcdef");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer[] two = {ByteBuffer.allocate(3), ByteBuffer.allocate(3)};
            assertThrows(IndexOutOfBoundsException.class, () -> ch.read(two, 1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> ch.read(two, -1, 1));
            assertEquals(0, two[0].position() + two[1].position(), "no buffer was filled");
            assertEquals(0, ch.position());
            ByteBuffer[] out = {ByteBuffer.wrap("xy".getBytes(StandardCharsets.US_ASCII))};
            assertThrows(IndexOutOfBoundsException.class, () -> ch.write(out, 0, 2));
            assertEquals(0, out[0].position());
            assertEquals(6, ch.read(two, 0, 2), "in range it reads both buffers");
            assertEquals("def", new String(two[1].array(), StandardCharsets.US_ASCII));
        }
        assertEquals("abcdef", Files.readString(f));
    }

    @Test
    void aNegativePositionIsAnIllegalArgument() throws Exception {
        Path f = fs.getPath("/g");
        Files.writeString(f, "abc");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThrows(IllegalArgumentException.class, () -> ch.read(ByteBuffer.allocate(1), -1));
            assertThrows(IllegalArgumentException.class, () -> ch.write(ByteBuffer.allocate(1), -1));
            ByteBuffer one = ByteBuffer.allocate(1);
            assertEquals(1, ch.read(one, 2));
            assertEquals('c', one.get(0));
        }
        assertEquals("abc", Files.readString(f));
    }
}
