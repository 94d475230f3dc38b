package org.kmodel.mm.internal;

/**
 * dup_mmap() (kernel/fork.c): the child's mm gets a copy of every VMA. A copied VMA with an anon_vma gets its
 * own anon_vma chained to the parent's (anon_vma_fork), so its chain is no longer singular and it will not
 * merge with a fresh mapping (is_mergeable_anon_vma). The child mm's cache state starts empty (3.14:
 * mmap_cache NULL; 3.15: vmacache_seqnum 0 and the child's slots flushed).
 */
final class DupMmap {
    private DupMmap() {}

    static MmStruct dup(MmInstance k, MmStruct old) {
        MmStruct mm = k.newMm();
        java.util.concurrent.locks.Lock w = old.mmapSem.writeLock();
        w.lock();
        try {
            mm.startBrk = old.startBrk;
            mm.brk = old.brk;
            mm.startStack = old.startStack;
            mm.mmapBase = old.mmapBase;
            Vma prev = null;
            for (Vma v = old.mmap; v != null; v = v.next) {
                Vma c = v.copyTo(mm);
                if (v.anonVma != 0) {
                    c.anonForked = true;
                }
                mm.link(c, prev);
                prev = c;
            }
            return mm;
        } finally {
            w.unlock();
        }
    }
}
