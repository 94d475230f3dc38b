package org.kmodel.mm.testing;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmaCacheDesign;
import org.kmodel.mm.internal.TestAccess;

/**
 * One address space with a row of VMAs built straight into the mm core's VMA tree (no syscalls, no OSGi), and
 * the core's find_vma on it: what the find_vma benchmarks measure.
 */
public final class TestVmaTree {
    private final TestAccess core;
    private final List<VmArea> vmas;

    /**
     * {@code count} anonymous read-write VMAs of {@code length} bytes, the first at {@code base}, each
     * {@code stride} bytes after the one before; one user, and one task that runs in it.
     */
    public TestVmaTree(int count, long base, long stride, long length) {
        core = new TestAccess();
        List<VmArea> all = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            all.add(core.append(base + n * stride, length));
        }
        vmas = List.copyOf(all);
        core.start();
    }

    /** The address space, for a {@link VmaCacheDesign}'s hooks. */
    public AddressSpace mm() {
        return core.mm();
    }

    /** The VMAs in address order. */
    public List<VmArea> vmas() {
        return vmas;
    }

    /** The tree's find_vma (its Eytzinger copy once built). */
    public VmArea treeFind(long addr) {
        return core.treeFind(addr);
    }

    /** The red-black walk alone, bypassing the Eytzinger copy. */
    public VmArea rbWalk(long addr) {
        return core.rbWalk(addr);
    }

    /** The core's find_vma with {@code design} in front: counters, state lookup, probe, re-check, cache update. */
    public Lookup lookup(VmaCacheDesign<?, ?> design) {
        return new Lookup(core.findVma(design));
    }

    /** find_vma of the task through one design. */
    public static final class Lookup {
        private final TestAccess.Lookup lookup;

        Lookup(TestAccess.Lookup lookup) {
            this.lookup = lookup;
        }

        public VmArea find(long addr) {
            return lookup.find(addr);
        }
    }
}
