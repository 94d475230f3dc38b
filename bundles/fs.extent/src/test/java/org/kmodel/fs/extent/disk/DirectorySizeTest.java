package org.kmodel.fs.extent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kmodel.vfs.spi.Inode;

/**
 * stat of an ext4 directory: i_size is the bytes of its directory blocks (fs/ext4/namei.c ext4_init_new_dir
 * appends one block to a new directory), so a fresh directory on a 4k filesystem shows 4096 and 8 blocks, as
 * `stat -c %s,%b` prints on the real kernel; never 0.
 */
class DirectorySizeTest {
    @Test
    void ext4DirectoriesAreOneBlockLong() {
        for (String fs : new String[] {"ext4-4k", "ext4-1k"}) {
            DiskSuperBlock sb = ModelProbe.mkfsAndMount(ModelProbe.profile(fs), 64L << 20);
            Inode dir = sb.root().create("d", 0040755, 0);
            int bs = ModelProbe.profile(fs).blockSize();
            assertEquals(bs, dir.getattr().size(), fs);
            assertEquals(bs / 512, dir.getattr().blocks(), fs);
            assertEquals(bs, sb.root().getattr().size(), fs + " root");
        }
    }
}
