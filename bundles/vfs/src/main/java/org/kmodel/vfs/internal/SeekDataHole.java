package org.kmodel.vfs.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FiemapExtent;

/**
 * SEEK_DATA and SEEK_HOLE (fs/iomap/seek.c, mm/filemap.c {@code mapping_seek_hole_data}), computed from the
 * filesystem's extent map and the page cache, as measured on the real kernel (docs/vfs.md#seek_data--seek_hole-and-fiemap):
 * written extents are data; a dirty page is data whatever lies below it; an unwritten extent is a hole,
 * except for pages cached uptodate on filesystems that say so (ext4, xfs; not tmpfs); nothing past EOF counts.
 * Cost: O(extents + cached pages in the range).
 */
final class SeekDataHole {
    private static final int PS = PageCache.PAGE_SIZE;

    private SeekDataHole() {}

    static long seek(VfsInode inode, long offset, boolean wantData) {
        long size = inode.size();
        if (offset < 0 || offset >= size) {
            throw new KernelException(Errno.ENXIO, "lseek");
        }
        List<long[]> data = dataIntervals(inode, offset, size);
        if (wantData) {
            for (long[] iv : data) {
                if (iv[1] > offset) {
                    return Math.max(iv[0], offset);
                }
            }
            throw new KernelException(Errno.ENXIO, "lseek");
        }
        long pos = offset;
        for (long[] iv : data) {
            if (iv[0] > pos) {
                break;
            }
            pos = Math.max(pos, iv[1]);
        }
        return Math.min(pos, size);
    }

    /** Sorted, merged data intervals within {@code [from, size)}. */
    static List<long[]> dataIntervals(VfsInode inode, long from, long size) {
        List<long[]> raw = new ArrayList<>();
        boolean cachedUnwrittenIsData = inode.mount.sb.capabilities().seekUnwrittenCachedAsData();
        for (FiemapExtent e : inode.fs.mapExtents(from, size - from)) {
            long s = Math.max(e.logical(), from);
            long t = Math.min(e.end(), size);
            if (s >= t) {
                continue;
            }
            if (!e.unwritten()) {
                raw.add(new long[] {s, t});
            } else if (cachedUnwrittenIsData) {
                for (long idx : inode.cache.cachedIndexes(PageCache.indexOf(s), PageCache.indexCeil(t))) {
                    raw.add(clip(idx, s, t));
                }
            }
        }
        for (long idx : inode.cache.dirtyIndexes(PageCache.indexOf(from), PageCache.indexCeil(size))) {
            raw.add(clip(idx, from, size));
        }
        raw.removeIf(iv -> iv[0] >= iv[1]);
        raw.sort(Comparator.comparingLong(iv -> iv[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] iv : raw) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && iv[0] <= last[1]) {
                last[1] = Math.max(last[1], iv[1]);
            } else {
                merged.add(new long[] {iv[0], iv[1]});
            }
        }
        return merged;
    }

    private static long[] clip(long idx, long lo, long hi) {
        return new long[] {Math.max(idx * PS, lo), Math.min((idx + 1) * PS, hi)};
    }
}
