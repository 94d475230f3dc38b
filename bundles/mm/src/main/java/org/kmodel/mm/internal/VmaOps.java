package org.kmodel.mm.internal;

import static org.kmodel.mm.VmFlags.PAGE_SHIFT;
import static org.kmodel.mm.VmFlags.VM_ACCOUNT;
import static org.kmodel.mm.VmFlags.VM_SHARED;
import static org.kmodel.mm.VmFlags.VM_SPECIAL;

import java.util.Objects;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The VMA primitives of mm/mmap.c (3.15): vma_merge() with its eight cases, split_vma(), the unlinking that
 * vma_adjust() does, and do_munmap(). Everything here runs with mmap_sem held for write and either completes
 * or throws before changing anything. Which VMA object survives a merge or split follows the kernel exactly,
 * because the cache designs hold VMA pointers and their hit rates depend on it.
 */
final class VmaOps {
    /** sysctl vm.max_map_count (DEFAULT_MAX_MAP_COUNT). */
    static final int MAX_MAP_COUNT = 65530;

    /** Where the cache designs hear about freed VMAs (3.14 mmap_cache updates, 3.15 vmacache_invalidate). */
    interface Hooks {
        void vmaUnlinked(MmStruct mm, Vma vma, Vma prev);

        void vmasDetached(MmStruct mm);
    }

    private final Hooks hooks;

    VmaOps(Hooks hooks) {
        this.hooks = hooks;
    }

    static boolean sameFile(String a, String b) {
        // Each shared anonymous mapping has its own shmem file (shmem_zero_setup): never the same file.
        return Objects.equals(a, b) && !a.startsWith("/dev/zero");
    }

    /** is_mergeable_vma(): equal flags and file, nothing special. */
    private static boolean mergeableVma(Vma v, int flags, String file) {
        return v.flags == flags && sameFile(v.file, file);
    }

    /**
     * is_mergeable_anon_vma(): one side without anon_vma merges unless the VMA's anon_vma_chain is not
     * singular (a VMA copied by fork, commit 965f55dea0e3); two anon_vmas must be the same.
     */
    static boolean mergeableAnon(long a1, long a2, Vma vma) {
        if ((a1 == 0 || a2 == 0) && (vma == null || vma.anonVma == 0 || !vma.anonForked)) {
            return true;
        }
        return a1 == a2;
    }

    /** can_vma_merge_after(): the range [.., pgoff) can extend {@code prev} upwards. */
    private static boolean canMergeAfter(Vma prev, int flags, long anon, String file, long pgoff) {
        return mergeableVma(prev, flags, file)
                && mergeableAnon(anon, prev.anonVma, prev)
                && prev.pgoff + prev.pages() == pgoff;
    }

    /** can_vma_merge_before(): a range ending at page {@code pgoffEnd} can extend {@code next} downwards. */
    private static boolean canMergeBefore(Vma next, int flags, long anon, String file, long pgoffEnd) {
        return mergeableVma(next, flags, file) && mergeableAnon(anon, next.anonVma, next) && next.pgoff == pgoffEnd;
    }

    /** anon_vma_clone() in vma_adjust(): the importer takes the exporter's anon_vma if it has none. */
    private static void importAnon(Vma importer, Vma exporter) {
        if (importer.anonVma == 0 && exporter.anonVma != 0) {
            importer.anonVma = exporter.anonVma;
            importer.anonForked = exporter.anonForked;
        }
    }

    /** __vma_unlink() as vma_adjust() does it for remove_next: the survivor {@code prev} absorbed it. */
    private void remove(MmStruct mm, Vma vma, Vma survivor) {
        importAnon(survivor, vma);
        mm.unlink(vma);
        hooks.vmaUnlinked(mm, vma, survivor);
    }

    /**
     * vma_merge() (mm/mmap.c): tries to make [addr, end) part of {@code prev} and/or the VMA after it. Returns
     * the VMA now covering the range, or null if nothing merged. The cases are the kernel's:
     * <pre>
     *     AAAA             AAAA                AAAA          AAAA
     *    PPPPPPNNNNNN    PPPPPPNNNNNN    PPPPPPNNNNNN    PPPPNNNNXXXX
     *    cannot merge    might become    might become    might become
     *                    PPNNNNNNNNNN    PPPPPPPPPPNN    PPPPPPPPPPPP 6 or
     *    mmap, brk or    case 4 below    case 5 below    PPPPPPPPXXXX 7 or
     *    mremap move:                                    PPPPNNNNNNNN 8
     *        AAAA
     *    PPPP    NNNN    PPPPPPPPPPPP 1 (cases 2, 3: merges with one side only)
     * </pre>
     */
    Vma vmaMerge(MmStruct mm, Vma prev, long addr, long end, int flags, long anon, String file, long pgoff) {
        if ((flags & VM_SPECIAL) != 0) {
            return null;
        }
        long pglen = (end - addr) >>> PAGE_SHIFT;
        Vma next = prev != null ? prev.next : mm.mmap;
        Vma area = next;
        if (next != null && next.end == end) { // cases 6, 7, 8
            next = next.next;
        }
        if (prev != null && prev.end == addr && canMergeAfter(prev, flags, anon, file, pgoff)) {
            if (next != null
                    && end == next.start
                    && canMergeBefore(next, flags, anon, file, pgoff + pglen)
                    && mergeableAnon(prev.anonVma, next.anonVma, null)) {
                // cases 1, 6: prev swallows everything up to next's end
                long newEnd = next.end;
                if (area != next) {
                    remove(mm, area, prev);
                }
                remove(mm, next, prev);
                prev.setEnd(newEnd);
            } else if (area != null && area.start < end) {
                if (area.end == end) { // case 7
                    remove(mm, area, prev);
                } else { // case 5: area gives its head to prev
                    importAnon(prev, area);
                    area.pgoff += (end - area.start) >>> PAGE_SHIFT;
                    area.setStart(end);
                }
                prev.setEnd(end);
            } else { // case 2
                prev.setEnd(end);
            }
            return prev;
        }
        if (next != null && end == next.start && canMergeBefore(next, flags, anon, file, pgoff + pglen)) {
            if (prev != null && addr < prev.end) { // case 4: prev gives its tail to next
                importAnon(next, prev);
                prev.setEnd(addr);
                next.setStart(addr);
                next.pgoff -= pglen;
                return next;
            }
            if (area != next) { // case 8: area swallows next
                long newEnd = next.end;
                long newPgoff = next.pgoff - pglen;
                remove(mm, next, area);
                area.setEnd(newEnd);
                area.pgoff = newPgoff;
            } else { // case 3: next grows down over the new range
                area.setStart(addr);
                area.pgoff = next.pgoff - pglen;
            }
            return area;
        }
        return null;
    }

    static void checkMapCount(MmStruct mm, int more) {
        if (mm.tree.size() + more > MAX_MAP_COUNT) {
            throw new KernelException(Errno.ENOMEM, "map count limit " + MAX_MAP_COUNT);
        }
    }

    /**
     * __split_vma(): {@code vma} keeps one side and a new VMA takes the other: the lower part with
     * {@code newBelow}, else the upper part. No invalidation: no VMA is freed, and cached pointers are
     * re-checked against the (now smaller) bounds.
     */
    Vma split(MmStruct mm, Vma vma, long addr, boolean newBelow) {
        checkMapCount(mm, 1);
        Vma n = vma.copyTo(mm);
        if (newBelow) {
            n.setEnd(addr);
            vma.pgoff += (addr - vma.start) >>> PAGE_SHIFT;
            vma.setStart(addr);
            mm.link(n, vma.prev);
        } else {
            n.setStart(addr);
            n.pgoff = vma.pgoff + ((addr - vma.start) >>> PAGE_SHIFT);
            vma.setEnd(addr);
            mm.link(n, vma);
        }
        return n;
    }

    /**
     * do_munmap() after its find_vma: split at both ends, then detach_vmas_to_be_unmapped(), which is where
     * 3.14 cleared mmap_cache and 3.15 invalidates. Returns false if nothing was mapped in the range.
     */
    boolean doMunmap(MmStruct mm, long start, long end) {
        Vma vma = mm.tree.findVma(start);
        if (vma == null || vma.start >= end) {
            return false;
        }
        Vma last = mm.tree.findVma(end);
        int splits = (start > vma.start ? 1 : 0) + (last != null && last.start < end ? 1 : 0);
        if (start > vma.start && last == vma && end < vma.end) {
            splits = 2;
        }
        checkMapCount(mm, splits);
        Vma prev = vma.prev;
        if (start > vma.start) {
            split(mm, vma, start, false);
            prev = vma;
        }
        last = mm.tree.findVma(end);
        if (last != null && end > last.start) {
            split(mm, last, end, true);
        }
        Vma v = prev != null ? prev.next : mm.mmap;
        while (v != null && v.start < end) {
            Vma n = v.next;
            mm.unlink(v);
            v = n;
        }
        hooks.vmasDetached(mm);
        return true;
    }

    /**
     * mmap_region() (mm/mmap.c): unmap what [start, end) overlaps, then merge with a neighbour or link a new
     * VMA. Private writable mappings are accounted (VM_ACCOUNT), which keeps them from merging with
     * unaccounted ones.
     */
    Vma mmapRegion(MmStruct mm, long start, long end, int flags, String file, long pgoff) {
        checkMapCount(mm, 1);
        if (accountable(flags)) {
            flags |= VM_ACCOUNT;
        }
        Vma overlap = mm.tree.findVma(start);
        if (overlap != null && overlap.start < end) {
            doMunmap(mm, start, end);
        }
        Vma prev = mm.tree.findPrev(start);
        Vma merged = vmaMerge(mm, prev, start, end, flags, 0, file, pgoff);
        if (merged != null) {
            return merged;
        }
        Vma v = new Vma(mm, start, end, flags, pgoff, file);
        mm.link(v, prev);
        return v;
    }

    /** accountable_mapping(): private, writable and not MAP_NORESERVE. */
    static boolean accountable(int flags) {
        return (flags & (org.kmodel.mm.VmFlags.VM_NORESERVE | VM_SHARED | org.kmodel.mm.VmFlags.VM_WRITE))
                == org.kmodel.mm.VmFlags.VM_WRITE;
    }
}
