package org.kmodel.fs.proc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ProcFile;
import org.kmodel.vfs.DirEntry;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.testing.TestVfs;

/** procfs through the real VFS: whiteboard files, wildcards, size 0, writes, refusals. */
class ProcFsTest {
    private final Vfs vfs;
    private final FakeProcFs files = new FakeProcFs();
    private final StringBuilder written = new StringBuilder();

    ProcFsTest() {
        vfs = TestVfs.boot(KernelRelease.V6_18, new ProcFsType(files));
        vfs.mount("proc", "/", "proc", "");
        files.add("/proc/sys/kernel/tainted", w -> "4096\n");
        files.add("/proc/*/maps", w -> "maps of " + w + "\n");
        files.add("/proc/sys/vm/knob", new ProcFile() {
            @Override
            public String read(String w) {
                return written + "\n";
            }

            @Override
            public void write(String w, String content) {
                written.append(content.trim());
            }

            @Override
            public boolean writable() {
                return true;
            }
        });
    }

    private String cat(String path) {
        try (OpenFile f = vfs.open(path, OpenFlags.O_RDONLY, 0)) {
            byte[] b = new byte[65536];
            int n = f.read(b, 0, b.length);
            return new String(b, 0, Math.max(n, 0), StandardCharsets.UTF_8);
        }
    }

    /**
     * proc_pid_readdir lists "self" and every PID; /sys/module lists every loaded module, each with its files
     * (kernel/module/sysfs.c): a pattern's files name what its {@code *} stands for.
     */
    @Test
    void patternDirectoriesListWhatTheirFilesName() {
        ProcFile maps = new ProcFile() {
            @Override
            public String read(String w) {
                return "maps of " + w + "\n";
            }

            @Override
            public List<String> instances() {
                return List.of("self", "1", "42");
            }
        };
        files.add("/proc/*/maps", maps);
        files.add("/proc/sys/module/*/refcnt", new ProcFile() {
            @Override
            public String read(String m) {
                if (!m.equals("kmodel_dep")) {
                    throw new KernelException(Errno.ENOENT, m);
                }
                return "0\n";
            }

            @Override
            public List<String> instances() {
                return List.of("kmodel_dep");
            }
        });
        assertEquals(
                List.of("1", "42", "self", "sys"),
                vfs.readdir("/").stream().map(DirEntry::name).toList());
        assertEquals(
                List.of("kmodel_dep"),
                vfs.readdir("/sys/module").stream().map(DirEntry::name).toList());
        assertEquals(
                List.of("refcnt"),
                vfs.readdir("/sys/module/kmodel_dep").stream()
                        .map(DirEntry::name)
                        .toList());
        assertEquals("0\n", cat("/sys/module/kmodel_dep/refcnt"));
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> vfs.stat("/sys/module/nope"))
                        .errno());
    }

    @Test
    void filesAndDirectoriesComeFromTheWhiteboard() {
        assertEquals("4096\n", cat("/sys/kernel/tainted"));
        assertEquals(0, vfs.stat("/sys/kernel/tainted").size(), "proc files report size 0");
        assertEquals(0644, vfs.stat("/sys/kernel/tainted").permissions());
        assertEquals(0444, vfs.stat("/1234/maps").permissions());
        assertEquals(
                List.of("sys"), vfs.readdir("/").stream().map(DirEntry::name).toList());
        assertEquals("maps of 1234\n", cat("/1234/maps"));
        assertTrue(vfs.stat("/1234").isDirectory());
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> vfs.stat("/sys/nope")).errno());
    }

    @Test
    void writableFilesTakeWritesReadOnlyOnesRefuse() {
        try (OpenFile f = vfs.open("/sys/vm/knob", OpenFlags.O_WRONLY | OpenFlags.O_TRUNC, 0)) {
            byte[] b = "3\n".getBytes(StandardCharsets.UTF_8);
            f.write(b, 0, b.length);
        }
        assertEquals("3\n", cat("/sys/vm/knob"));
        OpenFile ro = vfs.open("/1/maps", OpenFlags.O_WRONLY, 0);
        assertEquals(
                Errno.EACCES,
                assertThrows(KernelException.class, () -> ro.write(new byte[1], 0, 1))
                        .errno());
        assertEquals(
                Errno.EOPNOTSUPP,
                assertThrows(KernelException.class, () -> ro.fallocate(FallocateMode.KEEP_SIZE, 0, 1))
                        .errno());
        assertEquals(
                Errno.EACCES,
                assertThrows(KernelException.class, () -> vfs.mkdir("/x", 0755)).errno());
    }

    @Test
    void filesAppearAndDisappearWithTheirServices() {
        ProcFile late = w -> "late\n";
        files.add("/proc/late", late);
        assertEquals("late\n", cat("/late"));
        files.remove("/proc/late");
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> vfs.stat("/late")).errno());
    }
}
