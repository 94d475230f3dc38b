package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.spi.Inode;

/** The ENOSPC rule (docs/fs-ext4-xfs.md#where-ext4-and-xfs-differ): ext4 keeps a partial allocation (and raises i_size for mode 0), xfs none. */
class EnospcTest {
    private static final long DEV = 32L << 20;

    @Test
    void ext4KeepsWhatItAllocatedAndRaisesTheSize() {
        DiskSuperBlock sb = ModelProbe.mkfsAndMount(FsProfile.ext4(4096, 4096), DEV);
        Inode f = sb.root().create("big", 0100644, 0);
        assertEquals("ENOSPC", ModelProbe.run(f, "0", 0, 4L << 30, Long.MAX_VALUE));
        long size = f.getattr().size();
        assertTrue(size > 16L << 20 && size < DEV, "size raised to the end of the allocation: " + size);
        assertEquals(size / 512, f.getattr().blocks(), "the allocated blocks stay");
        Inode k = sb.root().create("keep", 0100644, 0);
        sb.root().unlink("big");
        f.evict();
        assertEquals("ENOSPC", ModelProbe.run(k, "KEEP", 0, 4L << 30, Long.MAX_VALUE));
        assertEquals(0, k.getattr().size());
        assertTrue(k.getattr().blocks() > (16L << 20) / 512, "KEEP_SIZE: blocks kept past EOF");
        // nothing is left for data; what statfs still counts free is held for the next commit's extent-tree
        // blocks (Ext4Store.commitMetadataNeed: the kernel's reserved pool, free in f_bfree too)
        assertEquals(0, sb.allocator().freeForData());
        long held = ((Ext4Store) sb.store()).commitMetadataNeed();
        assertTrue(sb.statfs().bfree() <= held, "free " + sb.statfs().bfree() + " > held " + held);
    }

    @Test
    void xfsAllocatesAllOrNothing() {
        DiskSuperBlock sb = ModelProbe.mkfsAndMount(FsProfile.xfs(4096), DEV);
        Inode f = sb.root().create("big", 0100644, 0);
        long free = sb.statfs().bfree();
        assertEquals("ENOSPC", ModelProbe.run(f, "0", 0, 4L << 30, Long.MAX_VALUE));
        assertEquals(0, f.getattr().size());
        assertEquals(0, f.getattr().blocks());
        assertEquals(free, sb.statfs().bfree(), "nothing allocated");
        assertEquals("OK", ModelProbe.run(f, "0", 0, 1 << 20, Long.MAX_VALUE));
    }

    @Test
    void aWriteThatDoesNotFitChangesNothing() {
        DiskSuperBlock sb = ModelProbe.mkfsAndMount(FsProfile.xfs(4096), DEV);
        Inode hog = sb.root().create("hog", 0100644, 0);
        ModelProbe.run(hog, "KEEP", 0, DEV, Long.MAX_VALUE); // ext4 would keep; xfs refuses: fill by halves
        long chunk = DEV / 2;
        while (chunk >= 4096) {
            if (!"OK".equals(ModelProbe.run(hog, "KEEP", hog.getattr().blocks() * 512, chunk, Long.MAX_VALUE))) {
                chunk /= 2;
            }
        }
        assertEquals(0, sb.statfs().bfree());
        Inode f = sb.root().create("f", 0100644, 0);
        KernelException e = assertThrows(KernelException.class, () -> f.writeBegin(0));
        assertEquals(Errno.ENOSPC, e.errno());
        assertEquals(0, f.getattr().blocks());
        assertEquals("OK", ModelProbe.run(hog, "PUNCH|KEEP", 0, 1 << 20, Long.MAX_VALUE));
        sb.commit(); // punched blocks are reusable once the freeing transaction is durable
        f.writeBegin(0);
    }
}
