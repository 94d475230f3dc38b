package org.kmodel.fs.ext4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDeviceFactory;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.xfs.testing.TestXfs;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.testing.RecordingTracepoints;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.spi.FileSystemType;
import org.kmodel.vfs.testing.TestVfs;

/**
 * Issue 5: ext4 and xfs fire their own fallocate tracepoints where the kernel does (ext4_fallocate_enter/exit
 * around an allocation, ext4_collapse_range; xfs_{alloc,free,zero,collapse}_file_space), each filesystem only
 * its own, with the st_dev of the mount, and nothing at all while the events are disabled.
 */
class Issue5FsTracepointsTest {
    /** The seven events; the registry records every fire as "system:name [fields]". */
    private static final String[] EVENTS = {
        "ext4:ext4_fallocate_enter",
        "ext4:ext4_fallocate_exit",
        "ext4:ext4_collapse_range",
        "xfs:xfs_alloc_file_space",
        "xfs:xfs_free_file_space",
        "xfs:xfs_zero_file_space",
        "xfs:xfs_collapse_file_space"
    };

    @TempDir
    Path state;

    RecordingTracepoints reg;
    Vfs vfs;
    String ext4Dev;
    String xfsDev;
    Ext4FsType ext4;

    @BeforeEach
    void boot() {
        BlockDeviceFactory devs = TestBlockDevices.factory();
        ext4 = new Ext4FsType(devs);
        FileSystemType xfs = TestXfs.fsType(devs);
        reg = new RecordingTracepoints(EVENTS);
        ext4.bindTracepointRegistry(reg); // before the mount: a new instance takes the type's events
        ext4.mkfs(state.resolve("root.img"), 64L << 20, Map.of());
        TestXfs.mkfs(devs).mkfs(state.resolve("data.img"), 64L << 20, Map.of("blocksize", "1024"));
        vfs = TestVfs.boot(KernelRelease.V6_18, ext4, xfs);
        vfs.mount(state.resolve("root.img").toString(), "/", "ext4", "");
        vfs.mkdir("/data", 0755);
        vfs.mount(state.resolve("data.img").toString(), "/data", "xfs", "");
        TestXfs.bindTracepoints(xfs, reg); // after the mount: the mounted instance picks them up
        assertEquals(7, reg.finds(), "each event looked up once per bind, never per call");
        long d1 = vfs.stat("/").dev();
        long d2 = vfs.stat("/data").dev();
        assertTrue(d1 < 256 && d2 < 256 && d1 != d2, "anonymous devices 0:N");
        ext4Dev = "0," + d1;
        xfsDev = "0:" + d2;
    }

    private OpenFile file(String path) {
        OpenFile f = vfs.open(path, OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
        f.pwrite(0, new byte[16384], 0, 16384);
        return f;
    }

    private void allModes(OpenFile f) {
        f.fallocate(FallocateMode.KEEP_SIZE, 16384, 8192);
        f.fallocate(FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE, 4096, 4096);
        f.fallocate(FallocateMode.ZERO_RANGE, 0, 8192);
        f.fallocate(FallocateMode.COLLAPSE_RANGE, 4096, 4096);
        f.fallocate(0, 0, 20000);
    }

    @Test
    void nothingFiresWhileDisabled() {
        allModes(file("/f"));
        allModes(file("/data/g"));
        assertEquals(List.of(), reg.log());
        assertEquals(7, reg.finds());
    }

    @Test
    void ext4FiresItsEventsWithTheMountsDevice() {
        OpenFile f = file("/f");
        long ino = f.fstat().ino();
        reg.enableAll(true);
        allModes(f);
        String p = ext4Dev + ", " + ino + ", ";
        assertEquals(
                List.of(
                        "ext4:ext4_fallocate_enter [" + p + "16384, 8192, FALLOC_FL_KEEP_SIZE]",
                        "ext4:ext4_fallocate_exit [" + p + "16384, 2, 0]",
                        "ext4:ext4_collapse_range [" + p + "4096, 4096]",
                        "ext4:ext4_fallocate_enter [" + p + "0, 20000, ]",
                        "ext4:ext4_fallocate_exit [" + p + "0, 5, 0]"),
                reg.log(),
                "punch and zero go to their own helpers before trace_ext4_fallocate_enter");
    }

    @Test
    void xfsFiresItsEventsWithTheMountsDevice() {
        OpenFile f = file("/data/g");
        long ino = f.fstat().ino();
        reg.enableAll(true);
        allModes(f);
        String p = " [" + xfsDev + ", " + ino + "]";
        assertEquals(
                List.of(
                        "xfs:xfs_alloc_file_space" + p,
                        "xfs:xfs_free_file_space" + p,
                        "xfs:xfs_zero_file_space" + p,
                        "xfs:xfs_alloc_file_space" + p,
                        "xfs:xfs_collapse_file_space" + p,
                        "xfs:xfs_free_file_space" + p,
                        "xfs:xfs_alloc_file_space" + p),
                reg.log());
    }

    @Test
    void aZeroRangeWithoutAWholePageAllocatesNothingOnXfs() {
        OpenFile f = file("/data/g");
        reg.enableAll(true);
        f.fallocate(FallocateMode.ZERO_RANGE, 100, 3000);
        assertEquals(1, reg.log().size(), reg.log().toString());
        assertTrue(reg.log().get(0).startsWith("xfs:xfs_zero_file_space"));
    }

    @Test
    void unbindingTheRegistryStopsTheEvents() {
        OpenFile f = file("/f");
        reg.enableAll(true);
        ext4.unbindTracepointRegistry(reg); // the trace bundle stops: the mounted instance keeps serving
        f.fallocate(FallocateMode.KEEP_SIZE, 16384, 4096);
        assertEquals(List.of(), reg.log());
    }

    @Test
    void refusedCallsTraceWhereTheKernelTracesBeforeItsChecks() {
        OpenFile f = file("/f");
        OpenFile g = file("/data/g");
        long ino = f.fstat().ino();
        reg.enableAll(true);
        assertThrows(KernelException.class, () -> f.fallocate(FallocateMode.COLLAPSE_RANGE, 1000, 4096));
        assertThrows(KernelException.class, () -> g.fallocate(FallocateMode.COLLAPSE_RANGE, 1000, 4096));
        assertThrows(KernelException.class, () -> g.fallocate(FallocateMode.COLLAPSE_RANGE, 4096, 12288));
        TestVfs.setRlimitFsize(vfs, 20000);
        assertThrows(KernelException.class, () -> g.fallocate(0, 16384, 8192));
        assertThrows(KernelException.class, () -> f.fallocate(0, 16384, 8192));
        String p = ext4Dev + ", " + ino + ", ";
        assertEquals(
                List.of(
                        "ext4:ext4_collapse_range [" + p + "1000, 4096]",
                        "ext4:ext4_fallocate_enter [" + p + "16384, 8192, ]",
                        "ext4:ext4_fallocate_exit [" + p + "16384, 2, -27]"),
                reg.log(),
                "ext4 traces before its collapse checks and inode_newsize_ok; xfs checks before any event");
    }

    @Test
    void aFailedAllocationReportsItsErrnoOnExit() {
        OpenFile f = file("/f");
        reg.enableAll(true);
        // far more than the 64 MiB image: ext4 keeps what it got and ends with ENOSPC (ret -28)
        assertThrows(KernelException.class, () -> f.fallocate(FallocateMode.KEEP_SIZE, 0, 1L << 30));
        String last = reg.log().get(reg.log().size() - 1);
        assertTrue(last.startsWith("ext4:ext4_fallocate_exit") && last.endsWith(", -28]"), last);
    }
}
