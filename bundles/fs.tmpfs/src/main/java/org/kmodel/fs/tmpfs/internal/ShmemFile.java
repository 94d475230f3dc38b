package org.kmodel.fs.tmpfs.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.vfs.FallocateMode;
import org.kmodel.vfs.FiemapExtent;
import org.kmodel.vfs.spi.FallocateRequest;

/**
 * A tmpfs regular file (mm/shmem.c): its data are memory pages, one per page index, charged to the super
 * block when allocated. A page allocated by fallocate is not uptodate ({@code shmem_fallocate} leaves folios
 * !uptodate): it reads as zeros, counts in st_blocks and is a hole for SEEK_DATA until written. Pages are
 * fresh zeroed memory, so nothing stale can ever be read (docs/vfs.md#stale-data).
 */
final class ShmemFile extends ShmemInode {
    private static final int PS = ShmemSuperBlock.PAGE_SIZE;

    /** A page of the file: {@code data == null} means all zeros (not yet written). */
    private static final class ShmemPage {
        byte[] data;
        boolean uptodate;
    }

    private final NavigableMap<Long, ShmemPage> pages = new TreeMap<>();
    private long size;

    ShmemFile(ShmemSuperBlock sb, long ino, int mode) {
        super(sb, ino, mode);
    }

    @Override
    long size() {
        return size;
    }

    @Override
    long pages() {
        return pages.size();
    }

    @Override
    public void readPage(long index, byte[] page) {
        ShmemPage p = pages.get(index);
        if (p != null && p.data != null) {
            System.arraycopy(p.data, 0, page, 0, PS);
        } else {
            Arrays.fill(page, (byte) 0);
        }
    }

    /** {@code shmem_write_begin} → {@code shmem_get_folio(SGP_WRITE)}: allocate and charge, or ENOSPC. */
    @Override
    public void writeBegin(long index) {
        if (!pages.containsKey(index)) {
            sb.chargePages(1);
            pages.put(index, new ShmemPage());
        }
    }

    @Override
    public void writePage(long index, byte[] page, int length) {
        writeBegin(index);
        ShmemPage p = pages.get(index);
        // the VFS hands writeback a copy of its page (Inode#writePage): keep it, a second copy per page written
        // was a 4 KiB allocation and copy for nothing (issue 12: writing 3 GiB to /tmp)
        p.data = page;
        p.uptodate = true;
    }

    @Override
    public void extendSize(long newSize) {
        size = newSize;
    }

    /**
     * {@code shmem_setattr} with ATTR_SIZE: growing only moves i_size (fallocated pages past the old EOF become
     * in-file zeros); shrinking or keeping the size frees every page past the new EOF, post-EOF preallocation
     * included, and zeroes the tail of a partial last page.
     */
    @Override
    void truncate(long newSize) {
        if (newSize <= size) {
            freePages(ceilPage(newSize), Long.MAX_VALUE);
            zeroBytes(newSize, ceilPage(newSize) * PS);
        }
        size = newSize;
    }

    @Override
    public List<FiemapExtent> mapExtents(long start, long length) {
        List<FiemapExtent> out = new ArrayList<>();
        long end = start + length < 0 ? Long.MAX_VALUE : start + length;
        long lastIndex = pages.isEmpty() ? -1 : pages.lastKey();
        for (Map.Entry<Long, ShmemPage> e :
                pages.subMap(start / PS, true, ceilPage(end), false).entrySet()) {
            long logical = e.getKey() * PS;
            int flags = e.getValue().uptodate ? 0 : FiemapExtent.UNWRITTEN;
            FiemapExtent prev = out.isEmpty() ? null : out.get(out.size() - 1);
            if (prev != null && prev.end() == logical && prev.flags() == flags) {
                out.set(out.size() - 1, new FiemapExtent(prev.logical(), 0, prev.length() + PS, flags));
            } else {
                out.add(new FiemapExtent(logical, 0, PS, flags));
            }
        }
        if (!out.isEmpty() && out.get(out.size() - 1).end() == (lastIndex + 1) * PS) {
            FiemapExtent l = out.remove(out.size() - 1);
            out.add(l.withFlags(l.flags() | FiemapExtent.LAST));
        }
        return out;
    }

    /** {@code shmem_fallocate}'s first test: any mode but 0, KEEP_SIZE and PUNCH|KEEP, whatever the range. */
    @Override
    public void fallocateCheck(FallocateRequest r) {
        int m = r.mode();
        if (m != 0 && m != FallocateMode.KEEP_SIZE && m != (FallocateMode.PUNCH_HOLE | FallocateMode.KEEP_SIZE)) {
            throw new KernelException(Errno.EOPNOTSUPP, "fallocate");
        }
    }

    @Override
    public void fallocate(FallocateRequest r) {
        ShmemFunctions.shmemFallocate(this, r);
    }

    /** mm/shmem.c shmem_fallocate, called through its patchable site. */
    void shmemFallocate(FallocateRequest r) {
        fallocateCheck(r);
        if (r.operation() == FallocateMode.PUNCH_HOLE) {
            punch(r.offset(), r.end());
        } else {
            allocate(r);
        }
    }

    /**
     * {@code shmem_truncate_range(offset, offset + len - 1)}: pages wholly inside are freed whether they lie before
     * or after EOF (xfs and tmpfs free post-EOF prealloc, ext4 does not); partial pages are zeroed in place and
     * stay allocated; the size never changes.
     */
    private void punch(long from, long to) {
        long firstWhole = ceilPage(from);
        long endWhole = to / PS;
        if (firstWhole < endWhole) {
            freePages(firstWhole, endWhole);
        }
        zeroBytes(from, Math.min(to, firstWhole * PS));
        zeroBytes(Math.max(from, endWhole * PS), to);
        touch();
    }

    /**
     * Allocation: {@code inode_newsize_ok(offset + len)} against RLIMIT_FSIZE even with KEEP_SIZE (EFBIG, unlike
     * ext4 and xfs), then all-or-nothing space: ENOSPC leaves nothing allocated (shmem_undo_range), then the size
     * grows to offset+len unless KEEP_SIZE. Existing pages and their data are untouched.
     */
    private void allocate(FallocateRequest r) {
        if (r.end() > r.rlimitFsize()) {
            throw new KernelException(Errno.EFBIG, "fallocate");
        }
        long first = r.offset() / PS;
        long last = ceilPage(r.end());
        long missing = (last - first) - pages.subMap(first, true, last, false).size();
        sb.chargePages(missing);
        for (long i = first; i < last; i++) {
            pages.computeIfAbsent(i, k -> new ShmemPage());
        }
        if (!r.keepSize() && r.end() > size) {
            size = r.end();
        }
        touch();
    }

    private void freePages(long from, long to) {
        NavigableMap<Long, ShmemPage> range = pages.subMap(from, true, to, false);
        sb.unchargePages(range.size());
        range.clear();
    }

    private void zeroBytes(long from, long to) {
        for (long p = from; p < to; ) {
            long index = p / PS;
            int off = (int) (p % PS);
            int n = (int) Math.min(PS - off, to - p);
            ShmemPage page = pages.get(index);
            if (page != null && page.data != null) {
                Arrays.fill(page.data, off, off + n, (byte) 0);
            }
            p += n;
        }
    }

    private static long ceilPage(long pos) {
        return pos / PS + (pos % PS == 0 ? 0 : 1);
    }

    @Override
    public void evict() {
        freePages(0, Long.MAX_VALUE);
        super.evict();
    }
}
