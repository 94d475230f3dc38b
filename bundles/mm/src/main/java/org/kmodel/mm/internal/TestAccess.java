package org.kmodel.mm.internal;

import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;

/**
 * The bridge from the test-support export {@code org.kmodel.mm.testing} to the core's package-private VMA
 * tree, task and find_vma. Not for production code.
 */
public final class TestAccess {
    private final MmStruct mm = new MmStruct(1);
    private TaskStruct task;
    private Vma last;

    /** Links an anonymous read-write VMA [start, start + length) after the last one. */
    public VmArea append(long start, long length) {
        Vma v = new Vma(mm, start, start + length, 3, start >>> 12, "anon");
        mm.link(v, last);
        last = v;
        return v;
    }

    /** One user and one task in the address space. */
    public void start() {
        mm.users = 1;
        task = new TaskStruct(1, 1, 0, "bench", mm, false);
    }

    public AddressSpace mm() {
        return mm;
    }

    public VmArea treeFind(long addr) {
        return mm.tree.findVma(addr);
    }

    public VmArea rbWalk(long addr) {
        return mm.tree.rbWalk(addr);
    }

    public Lookup findVma(VmaCacheDesign<?, ?> design) {
        return new Lookup(new FindVma(design), task, mm);
    }

    /** The core's find_vma of one task through one design. */
    public static final class Lookup {
        private final FindVma findVma;
        private final TaskStruct task;
        private final MmStruct mm;

        Lookup(FindVma findVma, TaskStruct task, MmStruct mm) {
            this.findVma = findVma;
            this.task = task;
            this.mm = mm;
        }

        public VmArea find(long addr) {
            return findVma.find(task, mm, addr);
        }
    }
}
