package org.kmodel.mm;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@code find_vma} cache design (the SPI every {@code mm.cache.*} bundle implements, as a DS component with
 * the service property {@value #NAME}). The mm core owns the VMA tree and the locking; a design only keeps
 * hints. The core calls it as mm/mmap.c calls mm/vmacache.c:
 * <ul>
 * <li>{@link #find} before the tree walk, under mmap_sem held for read (concurrently from many tasks);</li>
 * <li>{@link #update} after a miss, with whatever the tree returned (possibly a VMA above {@code addr});</li>
 * <li>{@link #vmaUnlinked} and {@link #vmasDetached} with mmap_sem held for write, where 3.14 touched
 *     {@code mmap_cache} and 3.15 called {@code vmacache_invalidate()}.</li>
 * </ul>
 * State lives where the kernel keeps it: {@code M} in the mm_struct (one per address space), {@code T} in the
 * task_struct (one per task using that mm). The core creates fresh state whenever the design is swapped, so a
 * design never sees state it did not create. The core re-checks every hit (same mm, still linked, contains the
 * address) and counts a failed re-check as a prevented stale hit, so a design bug cannot leak a dead VMA; a
 * correct design never trips it. Every hook has a no-op default (no state, every lookup a miss): a design
 * implements the ones it needs; one that implements none is 6.1's "no cache".
 *
 * @param <M> per-mm state
 * @param <T> per-task state
 */
@ConsumerType
public interface VmaCacheDesign<M, T> {
    /** Service property naming the design ("mmapcache", "vmacache", ...). */
    String NAME = "kmodel.mm.cache";

    String name();

    /** One line for {@code mm:cache}: kernel version and data structure. */
    String description();

    /** State for a new mm (exec, fork): 3.15 sets {@code vmacache_seqnum = 0}. A stateless design keeps none. */
    default M newMmState(AddressSpace mm) {
        return null;
    }

    /** State for a task starting to use {@code mm} (exec, fork child, first lookup after a swap): flushed slots. */
    default T newTaskState(M mmState) {
        return null;
    }

    /** A CLONE_VM child (thread, vfork): dup_task_struct copies the parent's slots and seqnum. */
    default T cloneTaskState(M mmState, T parent) {
        return null;
    }

    /** The task stops using the mm (exit, exec into a new mm). */
    default void taskDetached(M mmState, T taskState) {}

    /**
     * The cached VMA containing {@code addr}, or null for a miss. {@code taskState} is null when the caller
     * is not a user of {@code mm} ({@code vmacache_valid_mm()} false: foreign mm or kernel thread).
     */
    default VmArea find(AddressSpace mm, M mmState, T taskState, long addr) {
        return null;
    }

    /** After a miss: remember the tree's answer {@code vma} for {@code addr}. */
    default void update(AddressSpace mm, M mmState, T taskState, long addr, VmArea vma) {}

    /** {@code __vma_unlink()}: a merge freed {@code vma}; {@code prev} is the VMA that absorbed it. */
    default void vmaUnlinked(AddressSpace mm, M mmState, VmArea vma, VmArea prev) {}

    /** {@code detach_vmas_to_be_unmapped()}: munmap (also MAP_FIXED overlap, brk shrink, mremap) freed VMAs. */
    default void vmasDetached(AddressSpace mm, M mmState) {}
}
