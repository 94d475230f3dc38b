package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmodel.fs.extent.FsProfile;
import org.kmodel.vfs.spi.AttrChange;
import org.kmodel.vfs.spi.Inode;

/**
 * A file rewritten, punched, collapsed and truncated over and over without fsync on a small ext4 image: its
 * extent tree needs a block, and every freed cluster stays pending in the one running transaction (commit
 * interval 0, one inode: nothing else closes it). When data has taken every free cluster, the commit forced to
 * recycle the pending ones (ext4_should_retry_alloc) must still find its extent-tree block: before, the model
 * failed the write with "no space for metadata" (the 100,000-op fsx run on ext4 4k and bigalloc 64k). After
 * unlink and a commit the filesystem's free count is what it was.
 */
class Ext4CommitSpaceTest {
    @ParameterizedTest
    @ValueSource(strings = {"ext4-4k", "ext4-1k", "ext4-bigalloc64k"})
    void punchedSpaceIsRecycledWithoutEnospc(String fs) {
        FsProfile p = ModelProbe.profile(fs);
        DiskSuperBlock sb = ModelProbe.mkfsAndMount(p, 8L << 20);
        sb.commit();
        long freeAtStart = sb.statfs().bfree();
        Inode f = sb.root().create("f", 0100644, 0);
        int cs = p.clusterSize();
        long span = 24L * cs;
        // a tail of 6 written clusters with holes between them stays for good: with the region's 12 the file
        // has more extents than i_block holds, so every commit needs its extent-tree block
        scatter(f, cs, span, 6, 1);
        long written = 0;
        for (int round = 0; written < 3 * (8L << 20); round++) {
            scatter(f, cs, 0, 12, round);
            assertTrue(sb.store().mapOverhead512(sb.inode(f.ino())) > 0, "the file has an extent-tree block");
            switch (round % 3) {
                case 0 -> assertEquals("OK", ModelProbe.run(f, "PUNCH|KEEP", 0, span, Long.MAX_VALUE));
                case 1 -> {
                    assertEquals("OK", ModelProbe.run(f, "COLLAPSE", 0, span, Long.MAX_VALUE));
                    assertEquals("OK", ModelProbe.run(f, "INSERT", 0, span, Long.MAX_VALUE));
                }
                default -> {
                    f.setattr(AttrChange.size(span, 0));
                    scatter(f, cs, span, 6, round);
                    assertEquals("OK", ModelProbe.run(f, "PUNCH|KEEP", 0, span, Long.MAX_VALUE));
                }
            }
            written += 12L * cs;
        }
        sb.root().unlink("f");
        f.evict();
        sb.commit();
        assertEquals(freeAtStart, sb.statfs().bfree(), "every cluster of the file and its tree is free again");
    }

    /** Writes {@code count} whole clusters at {@code from}, {@code from} + 2 clusters, ... (a hole after each). */
    private static void scatter(Inode f, int cs, long from, int count, int round) {
        for (int k = 0; k < count; k++) {
            byte[] data = new byte[cs];
            java.util.Arrays.fill(data, (byte) (round | 1));
            DifferentialFsxTest.RealState.write(f, from + 2L * k * cs, data);
        }
    }
}
