package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.block.BlockDevice;
import org.kmodel.block.testing.TestBlockDevices;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.vfs.spi.Inode;

/**
 * kmodel's xfs format keeps its metadata in a fixed checkpoint area: when it is full, the operation that
 * would overflow it fails with ENOSPC and changes nothing (a reservation when the operation starts, as
 * xfs_trans_reserve), instead of succeeding and failing at the next commit. Every operation reported
 * successful is durable after fsync and a remount.
 */
class XfsMetadataFullTest {
    @TempDir
    java.nio.file.Path dir;

    /** 4 MiB of 1 KiB blocks: a 64 KiB checkpoint area. */
    private DiskSuperBlock fresh(String name) {
        BlockDevice dev = TestBlockDevices.image(dir.resolve(name), 4L << 20);
        DiskSuperBlock.mkfs(dev, FsProfile.xfs(1024));
        return DiskSuperBlock.mount(dev, "xfs", KernelRelease.V6_18, 0, "");
    }

    private DiskSuperBlock remount(String name) {
        return DiskSuperBlock.mount(TestBlockDevices.image(dir.resolve(name), 0), "xfs", KernelRelease.V6_18, 0, "");
    }

    @Test
    void createsFailWhenTheAreaIsFullAndEverySuccessSurvives() {
        DiskSuperBlock sb = fresh("names.img");
        List<String> made = new ArrayList<>();
        KernelException full = null;
        for (int k = 0; k < 5000 && full == null; k++) {
            String name = String.format("%04d-", k) + "n".repeat(200);
            try {
                sb.root().create(name, 0100644, 0);
                made.add(name);
            } catch (KernelException e) {
                full = e;
                assertNull(sb.root().lookup(name), "a failed create left its entry");
            }
        }
        assertNotNull(full, "the metadata area never filled");
        assertEquals(Errno.ENOSPC, full.errno());
        assertEquals("create: metadata area full", full.what());
        assertTrue(made.size() > 100, "only " + made.size() + " creates fitted");
        sb.commit(); // the fsync after the last successful create: no ENOSPC here
        sb.kill();
        DiskSuperBlock again = remount("names.img");
        for (String n : made) {
            assertNotNull(again.root().lookup(n), n);
        }
        assertEquals(made.size(), again.root().readdir().size());
        // unlinking frees metadata: creates work again
        again.root().unlink(made.get(0));
        again.root().unlink(made.get(1));
        again.commit();
        again.root().create("after", 0100644, 0);
        again.commit();
        again.kill();
    }

    @Test
    void fragmentingAllocationsAndWritesFailUpFront() {
        DiskSuperBlock sb = fresh("extents.img");
        Inode f = sb.root().create("prealloc", 0100644, 0);
        long ok = 0;
        String last = "OK";
        for (long b = 0; b < 8000 && last.equals("OK"); b += 2) {
            last = ModelProbe.run(f, "KEEP", b * 1024, 1024, Long.MAX_VALUE);
            if (last.equals("OK")) {
                ok++;
            }
        }
        assertEquals("ENOSPC", last, "the metadata area never filled");
        long blocks = f.getattr().blocks();
        assertEquals(ok * 2, blocks, "the failed fallocate allocated nothing");
        sb.commit();
        sb.kill();
        DiskSuperBlock again = remount("extents.img");
        assertEquals(blocks, again.root().lookup("prealloc").getattr().blocks());
        // writes into the preallocated blocks split their extents: refused up front too, never at fsync
        Inode g = again.root().lookup("prealloc");
        int written = 0;
        try {
            for (long b = 0; b < ok * 2; b += 2) {
                ModelProbe.writePattern(g, b * 1024 + 100, b * 1024 + 200);
                written++;
            }
        } catch (KernelException e) {
            assertEquals(Errno.ENOSPC, e.errno());
        }
        assertTrue(written > 0, "no write fitted");
        again.commit(); // every write that returned is durable: no ENOSPC at fsync
        again.kill();
        DiskSuperBlock third = remount("extents.img");
        byte[] all = ModelProbe.content(third.root().lookup("prealloc"));
        for (int w = 0; w < written; w++) {
            for (long at = w * 2048L + 100; at < w * 2048L + 200; at++) {
                assertEquals((byte) (ModelProbe.mark(at & ~7L) >>> (8 * (at & 7))), all[(int) at], "byte " + at);
            }
        }
        third.kill();
    }
}
