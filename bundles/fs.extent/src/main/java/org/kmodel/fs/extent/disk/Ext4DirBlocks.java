package org.kmodel.fs.extent.disk;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.fs.extent.Extent;
import org.kmodel.fs.extent.ext4.DirLayout;

/** A directory's blocks as the ext4 store maps them: clusters, extents, and the file type of an entry. */
final class Ext4DirBlocks {
    private Ext4DirBlocks() {}

    /** ext4_dir_entry_2.file_type from the inode mode (EXT4_FT_*, fs/ext4/ext4.h). */
    static int fileType(int mode) {
        return switch (mode & InodeData.S_IFMT) {
            case InodeData.S_IFREG -> 1;
            case InodeData.S_IFDIR -> 2;
            case 0020000 -> 3;
            case 0060000 -> 4;
            case 0010000 -> 5;
            case 0140000 -> 6;
            case InodeData.S_IFLNK -> 7;
            default -> 0;
        };
    }

    /** The physical clusters of a directory, in logical order, without repeats. */
    static List<Long> clusters(DirLayout d, int cpc) {
        List<Long> out = new ArrayList<>();
        for (DirLayout.Block b : d.blocks()) {
            if (b.pblk() >= 0 && (out.isEmpty() || out.get(out.size() - 1) != b.pblk() / cpc)) {
                out.add(b.pblk() / cpc);
            }
        }
        return out;
    }

    /** The extents of a directory's allocated blocks. */
    static List<Extent> extents(DirLayout d) {
        List<Extent> out = new ArrayList<>();
        List<DirLayout.Block> bl = d.blocks();
        for (int k = 0; k < bl.size(); k++) {
            long p = bl.get(k).pblk();
            if (p < 0) {
                continue;
            }
            Extent last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() == k && last.pend() == p && last.len() < 32768) {
                out.set(out.size() - 1, new Extent(last.lblk(), last.len() + 1, last.pblk(), false));
            } else {
                out.add(new Extent(k, 1, p, false));
            }
        }
        return out;
    }
}
