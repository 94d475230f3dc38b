package org.kmodel.mm.workload.internal;

import static org.kmodel.mm.VmFlags.MAP_ANONYMOUS;
import static org.kmodel.mm.VmFlags.MAP_FIXED;
import static org.kmodel.mm.VmFlags.MAP_PRIVATE;
import static org.kmodel.mm.VmFlags.PROT_EXEC;
import static org.kmodel.mm.VmFlags.PROT_NONE;
import static org.kmodel.mm.VmFlags.PROT_READ;
import static org.kmodel.mm.VmFlags.PROT_WRITE;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.VmFlags;

/**
 * The "procmix" generator (docs/vmacache.md#workloads-and-calibrated-parameters) for boot and kernel build: processes drawn from classes run
 * one after another, each as exec, an ld.so loader phase (reservation, MAP_FIXED segments that invalidate,
 * runs of faults, a RELRO mprotect), and a Markov work phase over its VMA classes with heap growth, transient
 * mmap/munmap pairs and merging anonymous mappings; threaded classes interleave their threads in random
 * quanta. Every lookup is a real call into the mm model; the hit rate is whatever the design makes of it.
 */
final class ProcMix {
    private static final long K = 1024;
    private static final int RW = PROT_READ | PROT_WRITE;

    private final MmKernel k;
    private final SplittableRandom rnd;

    ProcMix(MmKernel k, long seed) {
        this.k = k;
        this.rnd = new SplittableRandom(seed);
    }

    /** Runs {@code counts[i]} processes of {@code classes[i]}, in a shuffled order. */
    void run(ProcClass[] classes, int[] counts, Progress progress) {
        List<ProcClass> order = new ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            for (int j = 0; j < counts[i]; j++) {
                order.add(classes[i]);
            }
        }
        for (int i = order.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            ProcClass t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        int done = 0;
        for (ProcClass c : order) {
            new Proc(c).run();
            progress.step(++done, order.size());
        }
    }

    interface Progress {
        void step(int done, int total);
    }

    /** Uniform random address in [start, end): a random page and offset. */
    private long addrIn(long start, long end) {
        long pages = Math.max(1, (end - start) >>> 12);
        return start + (rnd.nextLong(pages) << 12) + rnd.nextInt(4096);
    }

    private final class Proc {
        final ProcClass c;
        int pid;
        long[] text;
        long[] data;
        long[] bss;
        long startBrk;
        long brk;
        long[] ldText;
        long[] ldData;
        long[] stack;
        final List<long[]> libText = new ArrayList<>();
        final List<long[]> libData = new ArrayList<>();
        final List<long[]> anon = new ArrayList<>();

        Proc(ProcClass c) {
            this.c = c;
        }

        void run() {
            pid = k.spawn(c.name);
            k.exec(pid, c.name);
            exec();
            for (int i = 0; i < c.nLibs; i++) {
                loadLib(i);
            }
            brk = k.brk(pid, startBrk + 132 * K); // malloc's first sbrk
            if (c.weights[9] > 0) {
                long a = k.mmap(pid, 0, 1024 * K, RW, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
                anon.add(new long[] {a, a + 1024 * K});
            }
            long n = Math.max(1, Math.round(Math.exp(Math.log(c.workMedian) + c.workSigma * rnd.nextGaussian())));
            if (c.threads <= 1) {
                Walker w = new Walker(pid, stack);
                for (long i = 0; i < n; i++) {
                    w.step();
                }
            } else {
                runThreads(n);
            }
            k.exit(pid);
        }

        /** load_elf_binary(): binary, bss, brk base, ld.so, vdso and stack (no lookups: the kernel maps them). */
        void exec() {
            String bin = "/usr/bin/" + c.name;
            long base = 0x400000L;
            long textEnd = base + 4 * K + VmFlags.pageAlign(c.textBytes);
            k.mmapRegion(pid, base, base + 4 * K, VmFlags.VM_READ, bin, 0);
            k.mmapRegion(pid, base + 4 * K, textEnd, VmFlags.VM_READ | VmFlags.VM_EXEC, bin, 1);
            long rodataEnd = textEnd + 64 * K;
            k.mmapRegion(pid, textEnd, rodataEnd, VmFlags.VM_READ, bin, (textEnd - base) >>> 12);
            data = new long[] {rodataEnd, rodataEnd + 16 * K};
            k.mmapRegion(pid, data[0], data[1], VmFlags.VM_READ | VmFlags.VM_WRITE, bin, (rodataEnd - base) >>> 12);
            bss = new long[] {data[1], data[1] + 64 * K};
            k.mmapRegion(pid, bss[0], bss[1], VmFlags.VM_READ | VmFlags.VM_WRITE, "anon", 0);
            text = new long[] {base + 4 * K, textEnd};
            startBrk = bss[1] + ((1 + rnd.nextInt(8191)) << 12);
            k.setStartBrk(pid, startBrk);
            long ld = 0x7ffff7dd8000L;
            String ldso = "/lib64/ld-linux-x86-64.so.2";
            k.mmapRegion(pid, ld, ld + 4 * K, VmFlags.VM_READ, ldso, 0);
            ldText = new long[] {ld + 4 * K, ld + 144 * K};
            k.mmapRegion(pid, ldText[0], ldText[1], VmFlags.VM_READ | VmFlags.VM_EXEC, ldso, 1);
            k.mmapRegion(pid, ld + 144 * K, ld + 152 * K, VmFlags.VM_READ, ldso, 36);
            ldData = new long[] {ld + 152 * K, ld + 160 * K};
            k.mmapRegion(pid, ldData[0], ldData[1], VmFlags.VM_READ | VmFlags.VM_WRITE, ldso, 38);
            k.mmapRegion(pid, 0x7ffff7ffa000L, 0x7ffff7ffc000L, VmFlags.VM_READ | VmFlags.VM_EXEC, "[vdso]", 0);
            stack = new long[] {0x7ffffffde000L, 0x7ffffffff000L};
            k.mmapRegion(pid, stack[0], stack[1], VmFlags.VM_READ | VmFlags.VM_WRITE, "[stack]", 0);
        }

        /**
         * ld.so's _dl_map_object: reserve the whole image r--p, map text and data over it with MAP_FIXED (each
         * replaces part of the reservation: an invalidation), fault through it interleaved with ld.so itself
         * and the stack, then mprotect the RELRO part read-only (a split, no invalidation).
         */
        void loadLib(int i) {
            String file = i == 0 ? "/lib/x86_64-linux-gnu/libc.so.6" : "/usr/lib/lib" + c.name + i + ".so";
            long textLen = i == 0 ? 1700 * K : (16 + rnd.nextInt(240)) * 4 * K;
            long rodata = 32 * K;
            long dataLen = 16 * K;
            long size = 4 * K + textLen + rodata + dataLen;
            long base = k.mmap(pid, 0, size, PROT_READ, MAP_PRIVATE, file, 0);
            long t0 = base + 4 * K;
            k.mmap(pid, t0, textLen, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, file, 4 * K);
            long d0 = t0 + textLen + rodata;
            k.mmap(pid, d0, dataLen, RW, MAP_PRIVATE | MAP_FIXED, file, d0 - base);
            long[] t = {t0, t0 + textLen};
            long[] d = {d0, d0 + dataLen};
            long[] hdr = {base, base + 4 * K};
            libText.add(t);
            libData.add(d);
            for (int f = 0; f < c.ldFaultsPerLib; f++) {
                long[] target;
                if (rnd.nextDouble() < c.ldLibShare) {
                    int which = rnd.nextInt(4);
                    target = which == 0 ? hdr : which == 3 ? t : d;
                } else {
                    int which = rnd.nextInt(3);
                    target = which == 0 ? ldText : which == 1 ? ldData : stack;
                }
                fault(pid, target);
                while (rnd.nextDouble() < c.ldStay) {
                    fault(pid, target);
                    f++;
                }
            }
            k.mprotect(pid, d0, 8 * K, PROT_READ);
        }

        void fault(int tid, long[] range) {
            k.fault(tid, addrIn(range[0], range[1]));
        }

        void runThreads(long n) {
            List<Walker> walkers = new ArrayList<>();
            walkers.add(new Walker(pid, stack));
            for (int t = 1; t < c.threads; t++) {
                int tid = k.clone(pid, 0, true, true);
                long s = k.mmap(pid, 0, 8192 * K, RW, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
                k.mprotect(tid, s, 4 * K, PROT_NONE); // glibc's guard page
                walkers.add(new Walker(tid, new long[] {s + 4 * K, s + 8192 * K}));
            }
            long left = n;
            while (left > 0) {
                Walker w = walkers.get(rnd.nextInt(walkers.size()));
                long q = Math.min(left, c.quantum);
                for (long i = 0; i < q; i++) {
                    w.step();
                }
                left -= q;
            }
            for (int t = 1; t < walkers.size(); t++) {
                k.exit(walkers.get(t).tid);
            }
        }

        /** One thread's Markov walk over the VMA classes. */
        final class Walker {
            final int tid;
            final long[] ownStack;
            long[] current;
            int currentClass = -1;

            Walker(int tid, long[] ownStack) {
                this.tid = tid;
                this.ownStack = ownStack;
            }

            void step() {
                if (current == null || rnd.nextDouble() >= c.pStay) {
                    currentClass = draw();
                    current = range(currentClass);
                }
                if (currentClass == 3 && rnd.nextDouble() < c.heapGrow) {
                    long newBrk = brk + ((1 + rnd.nextInt(8)) << 12);
                    brk = k.brk(pid, newBrk);
                    current = new long[] {startBrk, brk};
                    k.fault(tid, brk - 1 - rnd.nextInt(4096));
                } else {
                    fault(tid, current);
                }
                if (rnd.nextDouble() < c.invRate) {
                    long len = (4 + rnd.nextInt(60)) * 4 * K;
                    long a = k.mmap(pid, 0, len, RW, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
                    k.munmap(tid, a, len);
                }
                if (c.anonRate > 0 && rnd.nextDouble() < c.anonRate) {
                    long len = (64 + rnd.nextInt(448)) * K;
                    long a = k.mmap(pid, 0, len, RW, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
                    anon.add(new long[] {a, a + len});
                }
            }

            private int draw() {
                double total = 0;
                for (double w : c.weights) {
                    total += w;
                }
                double x = rnd.nextDouble() * total;
                for (int i = 0; i < c.weights.length; i++) {
                    x -= c.weights[i];
                    if (x < 0) {
                        return i;
                    }
                }
                return 0;
            }

            private long[] range(int cls) {
                switch (cls) {
                    case 0:
                        return text;
                    case 1:
                        return data;
                    case 2:
                        return bss;
                    case 3:
                        return new long[] {startBrk, brk};
                    case 4:
                        return ownStack;
                    case 5:
                        return libText.isEmpty() ? text : libText.get(0);
                    case 6:
                        return libData.isEmpty() ? data : libData.get(0);
                    case 7:
                        return libText.size() < 2 ? range(5) : libText.get(1 + rnd.nextInt(libText.size() - 1));
                    case 8:
                        return libData.size() < 2 ? range(6) : libData.get(1 + rnd.nextInt(libData.size() - 1));
                    default:
                        return anon.isEmpty() ? range(3) : anon.get(rnd.nextInt(anon.size()));
                }
            }
        }
    }
}
