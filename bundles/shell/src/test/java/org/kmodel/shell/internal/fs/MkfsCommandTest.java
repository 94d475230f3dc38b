package org.kmodel.shell.internal.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmodel.fs.Mkfs;
import org.kmodel.fs.MkfsResult;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

class MkfsCommandTest {
    @Test
    void parsesOptionsAndSizes() {
        Object[] seen = new Object[3];
        MkfsCommand cmd = new MkfsCommand();
        cmd.addMkfs(new Mkfs() {
            public String type() {
                return "xfs";
            }

            public MkfsResult mkfs(Path image, long size, Map<String, String> options) {
                seen[0] = image;
                seen[1] = size;
                seen[2] = options;
                return new MkfsResult("xfs", size / 1024, 1024, 1024, "made");
            }
        });
        assertEquals("made", cmd.mkfs("-t", "xfs", "-b", "1k", "data.img", "2G"));
        assertEquals(Path.of("data.img"), seen[0]);
        assertEquals(2L << 30, seen[1]);
        assertEquals(Map.of("blocksize", "1024"), seen[2]);
        assertEquals(
                Errno.ENODEV,
                assertThrows(KernelException.class, () -> cmd.mkfs("-t", "btrfs", "x.img"))
                        .errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd.mkfs("-t", "xfs", "x.img", "12Q"))
                        .errno());
    }
}
