package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmodel.vfs.FallocateMode.COLLAPSE_RANGE;
import static org.kmodel.vfs.FallocateMode.UNSHARE_RANGE;
import static org.kmodel.vfs.internal.Fixture.errno;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.testing.RecordingTracepoints;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Stat;

/** Issue 5: kmodel:vfs_fallocate_enter/exit around the filesystem's part of vfs_fallocate. */
class VfsFallocateTraceTest {
    private final Fixture fx = new Fixture();
    private final RecordingTracepoints reg =
            new RecordingTracepoints("kmodel:vfs_fallocate_enter", "kmodel:vfs_fallocate_exit");
    private final RecordingTracepoints.Recorder enter = reg.get("kmodel:vfs_fallocate_enter");
    private final RecordingTracepoints.Recorder exit = reg.get("kmodel:vfs_fallocate_exit");

    private OpenFile file() {
        return fx.vfs.open("/f", OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0644);
    }

    @Test
    void successFiresEnterThenExitWithRetZeroAndTheKernelFields() {
        fx.vfs.setTracepointRegistry(reg);
        reg.enableAll(true);
        OpenFile f = file();
        f.fallocate(0, 4096, 8192);
        Stat st = fx.vfs.stat("/f");
        String dev = "0:" + st.dev();
        assertEquals(List.of(List.of(dev, st.ino(), 0, 4096L, 8192L)), enter.fired());
        assertEquals(List.of(List.of(dev, st.ino(), 0, 4096L, 8192L, 0)), exit.fired());
        assertEquals(12288, st.size());
    }

    @Test
    void filesystemRefusalGivesMinusErrnoAndStillThrows() {
        fx.vfs.setTracepointRegistry(reg);
        reg.enableAll(true);
        OpenFile f = file();
        f.pwrite(0, new byte[16384], 0, 16384);
        // UNSHARE is a mode the VFS knows on 6.18 but MemFs does not implement: the filesystem says EOPNOTSUPP
        assertEquals(Errno.EOPNOTSUPP, errno(() -> f.fallocate(UNSHARE_RANGE, 0, 4096)));
        // a collapse not aligned to the block: the filesystem's own check says EINVAL
        assertEquals(Errno.EINVAL, errno(() -> f.fallocate(COLLAPSE_RANGE, 100, 4096)));
        assertEquals(2, enter.fired().size());
        assertEquals(-95, exit.fired().get(0).get(5));
        assertEquals(-22, exit.fired().get(1).get(5));
        assertEquals(UNSHARE_RANGE, exit.fired().get(0).get(2));
        assertEquals(16384, fx.vfs.stat("/f").size(), "a refused call changes nothing");
    }

    @Test
    void genericChecksBeforeTheFilesystemFireNothing() {
        fx.vfs.setTracepointRegistry(reg);
        reg.enableAll(true);
        OpenFile f = file();
        assertEquals(Errno.EINVAL, errno(() -> f.fallocate(0, 0, 0)));
        OpenFile ro = fx.vfs.open("/f", OpenFlags.O_RDONLY, 0);
        assertEquals(Errno.EBADF, errno(() -> ro.fallocate(0, 0, 4096)));
        assertTrue(enter.fired().isEmpty());
        assertTrue(exit.fired().isEmpty());
    }

    @Test
    void disabledTracepointsAreNeverFired() {
        fx.vfs.setTracepointRegistry(reg);
        OpenFile f = file();
        f.fallocate(0, 0, 4096);
        errno(() -> f.fallocate(UNSHARE_RANGE, 0, 4096));
        assertTrue(enter.fired().isEmpty());
        assertTrue(exit.fired().isEmpty());
        // switching on takes effect without a new look-up
        int finds = reg.finds();
        reg.enableAll(true);
        f.fallocate(0, 0, 4096);
        assertEquals(1, enter.fired().size());
        assertEquals(finds, reg.finds(), "tracepoints are looked up once per bind, not per call");
    }

    @Test
    void withoutARegistryOrAfterUnbindNothingFires() {
        OpenFile f = file();
        f.fallocate(0, 0, 4096);
        fx.vfs.setTracepointRegistry(reg);
        reg.enableAll(true);
        fx.vfs.setTracepointRegistry(null);
        f.fallocate(0, 0, 8192);
        assertTrue(enter.fired().isEmpty());
        assertTrue(exit.fired().isEmpty());
    }

    @Test
    void registryWithoutTheEventsIsHarmless() {
        RecordingTracepoints empty = new RecordingTracepoints();
        fx.vfs.setTracepointRegistry(empty);
        file().fallocate(0, 0, 4096);
        assertEquals(2, empty.finds());
    }

    @Test
    void devIsMajorColonMinorAsGlibcDecodesStDev() {
        assertEquals("0:20", FallocateTrace.devName(20));
        assertEquals("8:1", FallocateTrace.devName(0x801));
        assertEquals("259:65536", FallocateTrace.devName(0x10010300L));
    }
}
