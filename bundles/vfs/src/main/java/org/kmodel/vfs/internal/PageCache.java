package org.kmodel.vfs.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.kmodel.vfs.Vfs;
import org.kmodel.vfs.spi.Inode;

/**
 * The page cache of one inode ({@code struct address_space}, mm/filemap.c, mm/truncate.c, mm/page-writeback.c).
 * Pages are kept in index order so that writeback, invalidation and truncation of a range cost
 * O(cached pages in the range), never O(file size): the collapse cost rule of docs/vfs.md#page-cache-around-fallocate.
 *
 * <p>Not thread safe: the VFS calls it under its lock.
 */
final class PageCache {
    static final int PAGE_SIZE = Vfs.PAGE_SIZE;

    private final NavigableMap<Long, Page> pages = new TreeMap<>();
    private final Inode host;
    /** Where this cache's pages are charged; set by the VFS for mounted inodes. */
    private final java.util.function.Supplier<org.kmodel.vfs.spi.PageBudget> memory;

    private final List<PrivateCopies> privateMappings = new ArrayList<>();

    /** A private mapping's COW copies; dropped when the cache range under them is truncated. */
    interface PrivateCopies {
        void dropCopies(long fromIndex, long toIndex);
    }

    PageCache(Inode host) {
        this(host, () -> org.kmodel.vfs.spi.PageBudget.UNLIMITED);
    }

    PageCache(Inode host, java.util.function.Supplier<org.kmodel.vfs.spi.PageBudget> memory) {
        this.host = host;
        this.memory = memory;
    }

    /** A new page for index {@code index}: charged first (ENOMEM if even reclaim cannot make room). */
    private Page allocate(long index, byte[] data) {
        memory.get().charge(1);
        Page p = new Page(index, data);
        pages.put(index, p);
        return p;
    }

    private void released(int n) {
        if (n > 0) {
            memory.get().uncharge(n);
        }
    }

    static long indexOf(long pos) {
        return pos / PAGE_SIZE;
    }

    /** Index of the first page at or after {@code pos} (round up). */
    static long indexCeil(long pos) {
        return pos / PAGE_SIZE + (pos % PAGE_SIZE == 0 ? 0 : 1);
    }

    Page find(long index) {
        return pages.get(index);
    }

    /** {@code filemap_read_folio}: the cached page, reading it from the filesystem on a miss. */
    Page read(long index) {
        Page p = pages.get(index);
        if (p == null) {
            byte[] data = new byte[PAGE_SIZE];
            host.readPage(index, data);
            p = allocate(index, data);
        }
        return p;
    }

    /** A page a write will overwrite entirely: no need to read it first. */
    Page grabForOverwrite(long index) {
        Page p = pages.get(index);
        return p != null ? p : allocate(index, new byte[PAGE_SIZE]);
    }

    boolean isCached(long index) {
        return pages.containsKey(index);
    }

    boolean isDirty(long index) {
        Page p = pages.get(index);
        return p != null && p.dirty;
    }

    int nrPages() {
        return pages.size();
    }

    long nrDirty() {
        return pages.values().stream().filter(p -> p.dirty).count();
    }

    /** Dirty page indexes in {@code [from, to)}, ascending. */
    List<Long> dirtyIndexes(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (Page p : pages.subMap(from, true, to, false).values()) {
            if (p.dirty) {
                out.add(p.index);
            }
        }
        return out;
    }

    /** Cached page indexes in {@code [from, to)}, ascending. */
    List<Long> cachedIndexes(long from, long to) {
        return new ArrayList<>(pages.subMap(from, true, to, false).keySet());
    }

    /**
     * {@code filemap_write_and_wait_range} over pages {@code [from, to)}: hands every dirty page to
     * {@code ->writepage} with the number of its bytes inside EOF, then marks it clean.
     */
    void writeback(long from, long to, long size) {
        for (Page p : pages.subMap(from, true, to, false).values()) {
            if (p.dirty) {
                long start = p.index * PAGE_SIZE;
                int valid = (int) Math.max(0, Math.min(PAGE_SIZE, size - start));
                if (valid < PAGE_SIZE) {
                    // Writeback never stores bytes past EOF (block_write_full_folio zeroes them).
                    Arrays.fill(p.data, valid, PAGE_SIZE, (byte) 0);
                }
                host.writePage(p.index, p.data.clone(), valid);
                p.dirty = false;
            }
        }
    }

    /**
     * {@code truncate_inode_pages_range} over pages {@code [from, to)}: removes them, dirty ones included,
     * and with {@code evenCows} also private COW copies of them ({@code unmap_mapping_range(..., even_cows=1)}:
     * truncate and ext4's collapse do this; hole punching does not, so private copies survive a punch).
     * Callers that must keep dirty data write it back first.
     */
    void invalidate(long from, long to, boolean evenCows) {
        NavigableMap<Long, Page> range = pages.subMap(from, true, to, false);
        int n = range.size();
        range.clear();
        released(n);
        if (evenCows) {
            for (PrivateCopies m : List.copyOf(privateMappings)) {
                m.dropCopies(from, to);
            }
        }
    }

    /** {@code invalidate_mapping_pages}: drops clean pages only (drop_caches). */
    void dropClean() {
        int before = pages.size();
        pages.values().removeIf(p -> !p.dirty);
        released(before - pages.size());
    }

    /**
     * {@code truncate_pagecache} for a size change from {@code oldSize} to {@code newSize}: pages wholly past the
     * new EOF go; on shrink the tail of the new last page is zeroed, on growth the tail of the old last page
     * is zeroed ({@code pagecache_isize_extended}), so no byte past an old EOF is ever exposed.
     */
    void resize(long oldSize, long newSize) {
        if (newSize < oldSize) {
            invalidate(indexCeil(newSize), Long.MAX_VALUE, true);
            zeroTail(newSize);
        } else if (newSize > oldSize) {
            zeroTail(oldSize);
        }
    }

    /** Zeroes the cached bytes from {@code pos} to the end of its page (if that page is cached). */
    void zeroTail(long pos) {
        int off = (int) (pos % PAGE_SIZE);
        if (off == 0) {
            return;
        }
        Page p = pages.get(indexOf(pos));
        if (p != null) {
            Arrays.fill(p.data, off, PAGE_SIZE, (byte) 0);
        }
    }

    void addPrivateMapping(PrivateCopies m) {
        privateMappings.add(m);
    }

    void removePrivateMapping(PrivateCopies m) {
        privateMappings.remove(m);
    }
}
