package org.kmodel.mm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmodel.mm.VmFlags.MAP_ANONYMOUS;
import static org.kmodel.mm.VmFlags.MAP_FIXED;
import static org.kmodel.mm.VmFlags.MAP_PRIVATE;
import static org.kmodel.mm.VmFlags.PROT_EXEC;
import static org.kmodel.mm.VmFlags.PROT_READ;
import static org.kmodel.mm.VmFlags.PROT_WRITE;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.MmService;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmFlags;

class MmOpsTest {
    private static final int RW = PROT_READ | PROT_WRITE;
    private static final int ANON = MAP_PRIVATE | MAP_ANONYMOUS;
    private MmKernel k;
    private int pid;

    @BeforeEach
    void setUp() {
        MmService s = MmComponent.standalone(List.of(new TestDesign()), "none");
        k = s.newInstance("none");
        pid = k.spawn("true");
        k.exec(pid, "true");
    }

    private String layout() {
        StringBuilder sb = new StringBuilder();
        for (VmArea v : k.maps(pid)) {
            sb.append(String.format("%x-%x %s;", v.start(), v.end(), v.perms()));
        }
        return sb.toString();
    }

    @Test
    void adjacentAnonymousMappingsMergeAndMapFixedReplacesTheMiddle() {
        long a = k.mmap(pid, 0x10000000L, 0x2000, RW, ANON | MAP_FIXED, null, 0);
        k.mmap(pid, a + 0x2000, 0x2000, RW, ANON | MAP_FIXED, null, 0);
        assertEquals("10000000-10004000 rw-p;", layout());
        k.mmap(pid, a + 0x1000, 0x1000, PROT_READ, ANON | MAP_FIXED, null, 0);
        assertEquals("10000000-10001000 rw-p;10001000-10002000 r--p;10002000-10004000 rw-p;", layout());
    }

    @Test
    void munmapInTheMiddleSplitsAndKeepsTheOriginalObjectBelow() {
        k.mmapRegion(pid, 0x10000000L, 0x10004000L, VmFlags.VM_READ | VmFlags.VM_WRITE, "anon", 0);
        VmArea before = k.findVma(pid, 0x10000000L);
        k.munmap(pid, 0x10001000L, 0x1000);
        assertEquals("10000000-10001000 rw-p;10002000-10004000 rw-p;", layout());
        assertSame(before, k.findVma(pid, 0x10000000L)); // split keeps the VMA object for the lower part
        assertEquals(0x10002000L, k.findVma(pid, 0x10001000L).start()); // in the hole: the VMA above
    }

    @Test
    void mprotectSplitsThenMergesBack() {
        k.mmapRegion(pid, 0x10000000L, 0x10004000L, VmFlags.VM_READ, "fe:00:1", 0);
        k.mprotect(pid, 0x10001000L, 0x1000, PROT_READ | PROT_EXEC);
        assertEquals("10000000-10001000 r--p;10001000-10002000 r-xp;10002000-10004000 r--p;", layout());
        k.mprotect(pid, 0x10001000L, 0x1000, PROT_READ);
        assertEquals("10000000-10004000 r--p;", layout()); // vma_merge case 6: three become one
    }

    @Test
    void formerlyWritableRelroDoesNotMergeWithItsReadOnlyNeighbour() {
        k.mmapRegion(pid, 0x10000000L, 0x10002000L, VmFlags.VM_READ, "fe:00:1", 0);
        k.mmapRegion(pid, 0x10002000L, 0x10004000L, VmFlags.VM_READ | VmFlags.VM_WRITE, "fe:00:1", 2);
        k.mprotect(pid, 0x10002000L, 0x1000, PROT_READ);
        assertEquals("10000000-10002000 r--p;10002000-10003000 r--p;10003000-10004000 rw-p;", layout());
    }

    @Test
    void brkGrowsTheHeapInPlaceAndShrinkUnmaps() {
        k.setStartBrk(pid, 0x600000L);
        assertEquals(0x621000L, k.brk(pid, 0x621000L));
        VmArea heap = k.findVma(pid, 0x600000L);
        assertEquals(0x742000L, k.brk(pid, 0x742000L));
        assertSame(heap, k.findVma(pid, 0x700000L)); // grown, same VMA
        assertEquals(0x610000L, k.brk(pid, 0x610000L));
        assertEquals("600000-610000 rw-p;", layout());
        assertTrue(k.procMaps(pid).contains("[heap]"));
    }

    @Test
    void stackGrowsDownOnAFaultBelowIt() {
        k.mmapRegion(pid, 0x7ffffffde000L, 0x7ffffffff000L, VmFlags.VM_READ | VmFlags.VM_WRITE, "[stack]", 0);
        VmArea s = k.fault(pid, 0x7ffffffdc010L);
        assertEquals(0x7ffffffdc000L, s.start());
        assertThrows(KernelException.class, () -> k.fault(pid, 0x1000L));
    }

    @Test
    void mremapMovesAndInvalidates() {
        long a = k.mmap(pid, 0x10000000L, 0x2000, RW, ANON | MAP_FIXED, null, 0);
        k.mmap(pid, a + 0x2000, 0x1000, PROT_READ, ANON | MAP_FIXED, null, 0);
        long b = k.mremap(pid, a, 0x2000, 0x4000, VmFlags.MREMAP_MAYMOVE, 0);
        assertNotSame(a, b);
        assertEquals(0x4000, k.peekVma(pid, b).length());
        assertEquals(a + 0x2000, k.peekVma(pid, a).start());
    }

    @Test
    void badArgumentsFailWithErrnoAndChangeNothing() {
        k.mmapRegion(pid, 0x10000000L, 0x10004000L, VmFlags.VM_READ, "anon", 0);
        String before = layout();
        assertEquals(
                Errno.EINVAL,
                assertThrows(
                                KernelException.class,
                                () -> k.mmap(pid, 0x10000001L, 0x1000, RW, ANON | MAP_FIXED, null, 0))
                        .errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> k.mmap(pid, 0, 0, RW, ANON, null, 0))
                        .errno());
        assertEquals(
                Errno.ENOMEM,
                assertThrows(
                                KernelException.class,
                                () -> k.mmap(pid, VmFlags.TASK_SIZE - 0x1000, 0x2000, RW, ANON | MAP_FIXED, null, 0))
                        .errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> k.mmap(pid, 0, 0x1000, RW, MAP_ANONYMOUS, null, 0))
                        .errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> k.munmap(pid, 0x10000010L, 0x1000))
                        .errno());
        // mprotect starting in a hole: ENOMEM before anything changes
        assertEquals(
                Errno.ENOMEM,
                assertThrows(KernelException.class, () -> k.mprotect(pid, 0x0fffe000L, 0x4000, PROT_READ | PROT_WRITE))
                        .errno());
        assertEquals(before, layout());
        assertEquals(
                Errno.ESRCH,
                assertThrows(KernelException.class, () -> k.findVma(999, 0)).errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> k.selectCacheDesign("nope"))
                        .errno());
    }

    /** fs/proc/task_mmu.c show_map_vma, 3.4-4.8: a thread's stack VMA is [stack:TID] in /proc/PID/maps. */
    @Test
    void threadStacksAreNamedInThreeXMapsOnly() {
        long base = 0x7f0000000000L;
        k.mmapRegion(pid, base, base + 0x800000L, RW, "anon", 0);
        int tid = k.clone(pid, 0, true, true);
        k.setStackPointer(tid, base + 0x7ff000L);
        String v315 = k.procMaps(pid, org.kmodel.kernel.KernelRelease.V3_15);
        String line = v315.lines()
                .filter(l -> l.startsWith("7f0000000000-"))
                .findFirst()
                .orElseThrow();
        assertEquals("7f0000000000-7f0000800000 rw-p 00000000 00:00 0 ", line.substring(0, 48));
        assertEquals(" ".repeat(73 - 48) + "[stack:" + tid + "]", line.substring(48), "name at column 73, seq_pad");
        String v618 = k.procMaps(pid, org.kmodel.kernel.KernelRelease.V6_18);
        assertTrue(v618.contains("7f0000000000-7f0000800000 rw-p 00000000 00:00 0 \n"), v618);
        assertFalse(v618.contains("[stack:"), v618);
    }

    /** mm/mprotect.c sys_mprotect: the loop changes VMA by VMA and meets the hole only after the first part. */
    @Test
    void mprotectOverAHoleChangesThePartBeforeTheHoleThenFailsWithEnomem() {
        k.mmapRegion(pid, 0x10000000L, 0x10004000L, VmFlags.VM_READ, "anon", 0);
        k.mmapRegion(pid, 0x10006000L, 0x10008000L, VmFlags.VM_READ, "anon", 0);
        assertEquals(
                Errno.ENOMEM,
                assertThrows(KernelException.class, () -> k.mprotect(pid, 0x10002000L, 0x6000, PROT_READ | PROT_WRITE))
                        .errno());
        assertEquals("10000000-10002000 r--p;10002000-10004000 rw-p;10006000-10008000 r--p;", layout());
    }

    @Test
    void forkCopiesExecEmptiesThreadsShare() {
        k.mmapRegion(pid, 0x10000000L, 0x10004000L, VmFlags.VM_READ, "anon", 0);
        int child = k.clone(pid, 0, false, false);
        assertEquals(
                layout(),
                k.maps(child).stream()
                        .map(v -> String.format("%x-%x %s;", v.start(), v.end(), v.perms()))
                        .reduce("", String::concat));
        assertNotSame(k.task(pid).mm(), k.task(child).mm());
        int thread = k.clone(pid, 0, true, true);
        assertSame(k.task(pid).mm(), k.task(thread).mm());
        assertEquals(2, k.task(pid).mm().users());
        k.exec(child, "ls");
        assertTrue(k.maps(child).isEmpty());
        k.exit(thread);
        assertEquals(1, k.task(pid).mm().users());
    }

    @Test
    void procMapsHasTheKernelFormat() {
        MmKernel s = MmComponent.standalone(List.of(), "none").newInstance("none");
        int p = s.spawn("cat");
        String maps = s.procMaps(p);
        String[] lines = maps.split("\n");
        assertTrue(lines[0].startsWith("00400000-0040c000 r-xp 00000000 08:01 "), lines[0]);
        assertEquals(73, lines[0].indexOf("/usr/bin/cat"));
        assertTrue(maps.contains("7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"));
        assertTrue(lines[lines.length - 1].endsWith(" [stack]"));
        for (String l : lines) {
            if (l.contains(" 00:00 0 ") && !l.contains("[")) {
                assertTrue(l.endsWith(" 0 ")); // anonymous lines keep the trailing space
            }
        }
    }

    @Test
    void brokenDesignIsCaughtByTheReCheck() {
        MmService s = MmComponent.standalone(List.of(new TestDesign()), "broken");
        MmKernel kk = s.newInstance("broken");
        int p = kk.spawn("x");
        kk.exec(p, "x");
        kk.mmapRegion(p, 0x10000000L, 0x10001000L, VmFlags.VM_READ, "anon", 0);
        kk.findVma(p, 0x10000000L);
        kk.doMunmap(p, 0x10000000L, 0x10001000L);
        assertNull(kk.findVma(p, 0x10000000L)); // the design returned the dead VMA; the core refused it
        assertEquals(1, kk.currentStats().staleRejected);
        assertFalse(kk.currentStats().hits > 0);
    }
}
