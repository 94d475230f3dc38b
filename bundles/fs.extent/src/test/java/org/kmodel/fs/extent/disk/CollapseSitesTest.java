package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.spi.FallocateRequest;
import org.kmodel.vfs.spi.Inode;

/**
 * Issue 10: COLLAPSE_RANGE on ext4 reaches {@code ext4_collapse_range} and on xfs reaches
 * {@code xfs_collapse_file_space} through their patchable sites (fs/ext4/extents.c ext4_fallocate,
 * fs/xfs/xfs_file.c xfs_file_fallocate calling xfs_collapse_file_space), each filesystem only its own.
 * The sites are retargeted here as the livepatch bundle does for an applied patch: the replacement runs
 * instead of the original, and the original is reached only if the replacement calls it.
 */
class CollapseSitesTest {
    private static final AtomicInteger CALLS = new AtomicInteger();

    /** Saved targets, restored after each test so no other test sees a redirected site. */
    private final java.util.Map<KernelFunction, MethodHandle> saved = new java.util.HashMap<>();

    /** A replacement that counts and then does nothing: the collapse is skipped. */
    static void skipCollapse(Object fallocator, int mode, long offset, long len, long fsizeLimit) {
        CALLS.incrementAndGet();
    }

    private void patch(String name) throws ReflectiveOperationException {
        MethodHandle h = MethodHandles.lookup()
                .findStatic(
                        CollapseSitesTest.class,
                        "skipCollapse",
                        MethodType.methodType(void.class, Object.class, int.class, long.class, long.class, long.class));
        List<KernelFunction> sites = KernelFunction.sites(KernelFunction.VMLINUX, name);
        assertFalse(sites.isEmpty(), name + " is a patchable site");
        for (KernelFunction f : sites) {
            saved.putIfAbsent(f, f.target());
            f.retarget(h);
        }
    }

    @AfterEach
    void unpatch() {
        saved.forEach(KernelFunction::retarget);
        CALLS.set(0);
    }

    private static Inode fileOf(String type, int blocks) {
        BlockDevice dev = TestBlockDevices.memory(type, 16L << 20, 512);
        DiskSuperBlock.mkfs(dev, "xfs".equals(type) ? FsProfile.xfs(4096) : FsProfile.ext4(4096, 4096));
        DiskSuperBlock sb = DiskSuperBlock.mount(dev, type, KernelRelease.V6_18, 0, "");
        Inode f = sb.root().create("f", 0100644, 0);
        for (int p = 0; p < blocks; p++) {
            byte[] b = new byte[4096];
            java.util.Arrays.fill(b, (byte) p);
            f.writePage(p, b, 4096);
            f.extendSize((p + 1) * 4096L);
        }
        return f;
    }

    private static void collapse(Inode f, long off, long len) {
        FallocateRequest r = new FallocateRequest(
                FallocateMode.COLLAPSE_RANGE, off, len, f.getattr().size(), Long.MAX_VALUE);
        f.fallocateCheck(r);
        f.fallocate(r);
    }

    private static int firstByteOfPage(Inode f, long page) {
        byte[] b = new byte[4096];
        f.readPage(page, b);
        return b[0];
    }

    @ParameterizedTest(name = "{0}: {1} redirected, {2} not called")
    @CsvSource({
        "xfs, xfs_collapse_file_space, ext4_collapse_range",
        "ext4, ext4_collapse_range, xfs_collapse_file_space"
    })
    void aPatchOfTheCollapseFunctionRedirectsTheCall(String type, String own, String other) throws Exception {
        Inode f = fileOf(type, 4);
        collapse(f, 4096, 4096);
        assertEquals(3 * 4096L, f.getattr().size(), "unpatched: the original shifts");
        assertEquals(2, firstByteOfPage(f, 1));

        patch(other);
        collapse(f, 4096, 4096);
        assertEquals(0, CALLS.get(), "the other filesystem's function is never called");
        assertEquals(2 * 4096L, f.getattr().size());

        patch(own);
        collapse(f, 0, 4096);
        assertEquals(1, CALLS.get(), "the replacement ran once");
        assertEquals(2 * 4096L, f.getattr().size(), "the original did not run");
        assertEquals(0, firstByteOfPage(f, 0));

        unpatch();
        collapse(f, 0, 4096);
        assertEquals(0, CALLS.get());
        assertEquals(4096L, f.getattr().size(), "reverted: the original runs again");
        assertTrue(firstByteOfPage(f, 0) == 3);
    }
}
