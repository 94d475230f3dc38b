package org.kmodel.mm.workload.internal;

import static org.kmodel.mm.VmFlags.MAP_ANONYMOUS;
import static org.kmodel.mm.VmFlags.MAP_NORESERVE;
import static org.kmodel.mm.VmFlags.MAP_PRIVATE;
import static org.kmodel.mm.VmFlags.PROT_NONE;
import static org.kmodel.mm.VmFlags.PROT_READ;
import static org.kmodel.mm.VmFlags.PROT_WRITE;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.kmodel.mm.MmKernel;

/**
 * The "ebizzy" generator (docs/vmacache.md#workloads-and-calibrated-parameters): T threads of one process, C of them faulting at any
 * moment, with 2014 glibc malloc behaviour. Start-up per thread: a stack mmap and its guard mprotect, a
 * per-thread arena (a 128 MiB PROT_NONE MAP_NORESERVE reservation trimmed to an aligned 64 MiB by two munmaps,
 * then an RW mprotect of the first part), and the first malloc(512K) as mmap plus munmap. Steady state per
 * record: 128 sequential page faults in the thread's arena (memcpy into a copy buffer that heap_trim dropped
 * with MADV_DONTNEED) and one madvise lookup; no VMA changes, so no invalidations.
 */
final class Ebizzy {
    private static final long K = 1024;
    private static final long M = K * K;

    final int threads;
    final int cpus;
    final int chunks;
    final long chunkBytes;
    final int faultsPerRecord;
    final int records;

    Ebizzy(int threads, int cpus, int chunks, long chunkBytes, int faultsPerRecord, int records) {
        this.threads = threads;
        this.cpus = cpus;
        this.chunks = chunks;
        this.chunkBytes = chunkBytes;
        this.faultsPerRecord = faultsPerRecord;
        this.records = records;
    }

    /** The LKML run: 80 threads on 80 CPUs. */
    static Ebizzy lkml() {
        return new Ebizzy(80, 80, 10, 512 * K, 128, 4000);
    }

    private static final class Worker {
        int tid;
        long arena;
        int pos;
    }

    void run(MmKernel k, long seed, ProcMix.Progress progress) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int pid = k.spawn("ebizzy");
        for (int i = 0; i < chunks; i++) { // adjacent anonymous mmaps merge into one VMA
            long a = k.mmap(pid, 0, chunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
            for (long p = 0; p < chunkBytes; p += 4096) {
                k.fault(pid, a + p);
            }
        }
        List<Worker> started = new ArrayList<>();
        long target = (long) records * (faultsPerRecord + 1);
        long done = 0;
        for (int t = 0; t < threads; t++) { // pthread_create in a loop: start-up is over before the records run
            started.add(startThread(k, pid));
        }
        while (done < target) {
            // C threads run at once; with C < T the running set is a random C of them, re-picked per lookup
            Worker w = started.get(rnd.nextInt(Math.min(cpus, started.size())));
            if (cpus < started.size() && rnd.nextInt(3000) == 0) {
                int j = cpus + rnd.nextInt(started.size() - cpus);
                int i = rnd.nextInt(cpus);
                Worker x = started.get(i);
                started.set(i, started.get(j));
                started.set(j, x);
            }
            step(k, w);
            done++;
            if ((done & 0xffff) == 0) {
                progress.step((int) (done >> 16), (int) (target >> 16));
            }
        }
        for (Worker w : started) {
            k.exit(w.tid);
        }
        k.exit(pid);
    }

    private Worker startThread(MmKernel k, int pid) {
        Worker w = new Worker();
        w.tid = k.clone(pid, 0, true, true);
        long stack = k.mmap(w.tid, 0, 8 * M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        k.mprotect(w.tid, stack, 4 * K, PROT_NONE);
        long res = k.mmap(w.tid, 0, 128 * M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, null, 0);
        long aligned = (res + 64 * M - 1) & ~(64 * M - 1);
        if (aligned > res) {
            k.munmap(w.tid, res, aligned - res);
        }
        k.munmap(w.tid, aligned + 64 * M, res + 128 * M - (aligned + 64 * M));
        k.mprotect(w.tid, aligned, chunkBytes + 132 * K, PROT_READ | PROT_WRITE);
        long first = k.mmap(w.tid, 0, chunkBytes + 4 * K, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        k.munmap(w.tid, first, chunkBytes + 4 * K);
        w.arena = aligned;
        return w;
    }

    private void step(MmKernel k, Worker w) {
        if (w.pos < faultsPerRecord) {
            k.fault(w.tid, w.arena + 4096L * w.pos + 16);
            w.pos++;
        } else {
            k.madvise(w.tid, w.arena, chunkBytes);
            w.pos = 0;
        }
    }
}
