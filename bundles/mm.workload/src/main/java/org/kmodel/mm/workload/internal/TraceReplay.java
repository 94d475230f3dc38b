package org.kmodel.mm.workload.internal;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.MmKernel;
import org.kmodel.mm.Task;
import org.kmodel.mm.VmArea;
import org.kmodel.mm.VmFlags;
import org.kmodel.mm.WorkloadResult;
import org.tukaani.xz.XZInputStream;

/**
 * Replays a normalised page-fault/VMA trace (format: docs/vmacache.md#trace-format) on a fresh kernel instance. Every
 * {@code fault} and {@code lookup} event is one find_vma, a non-zero {@code brk} makes the one sys_brk makes;
 * {@code map}, {@code unmap}, {@code mprotect} and {@code mremap} change the layout at the event level (their
 * syscall lookups are separate {@code lookup} events). Trace tids are mapped to model pids. {@code check}
 * events compare the rebuilt layout with perf's post-operation bounds. A malformed line stops the replay with
 * EINVAL and its line number.
 */
public final class TraceReplay {
    private final MmKernel k;
    private final IntIntMap pids = new IntIntMap();
    private long checks;
    private long mismatches;
    private long events;
    private long line;
    private String firstMismatch;
    private long failed;
    private long segv;
    private int lastTid = -1;
    private int lastPid;

    public TraceReplay(MmKernel k) {
        this.k = k;
    }

    public static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(6);
        byte[] magic = in.readNBytes(6);
        in.reset();
        boolean xz = magic.length == 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z';
        return xz ? new BufferedInputStream(new XZInputStream(in), 1 << 16) : in;
    }

    public WorkloadResult run(Path file, String name) {
        long t0 = System.nanoTime();
        try (InputStream in = open(file)) {
            run(in);
        } catch (IOException e) {
            throw new KernelException(Errno.EIO, "reading " + file + ": " + e.getMessage());
        }
        return result(name, System.nanoTime() - t0);
    }

    public WorkloadResult result(String name, long nanos) {
        CacheStats s = k.currentStats();
        WorkloadResult r = new WorkloadResult();
        r.workload = name;
        r.design = s.design;
        r.events = events;
        r.lookups = s.calls;
        r.hits = s.hits;
        r.invalidations = s.invalidations;
        r.staleRejected = s.staleRejected;
        r.checks = checks;
        r.checkMismatches = mismatches;
        r.firstMismatch = firstMismatch;
        r.failedEvents = failed;
        r.nanos = nanos;
        return r;
    }

    public long segfaults() {
        return segv;
    }

    public void run(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
        String line;
        long n = 0;
        String[] f = new String[8];
        while ((line = r.readLine()) != null) {
            n++;
            this.line = n;
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            try {
                if (!fastPath(line)) {
                    int nf = split(line, f);
                    try {
                        apply(f, nf);
                    } catch (KernelException e) {
                        if (!isChange(f[0])) {
                            throw e;
                        }
                        failed++; // EINVAL/ENOMEM in the traced program too: no change, replay goes on
                    }
                }
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // the line itself is not echoed: the file may be anything the user named (mm:replay /etc/shadow)
                throw new KernelException(Errno.EINVAL, "trace line " + n + ": malformed");
            } catch (KernelException e) {
                throw new KernelException(e.errno(), "trace line " + n + ": " + e.what());
            }
            events++;
        }
    }

    /**
     * The two events that make up almost all of a trace ({@code fault} and {@code lookup}), parsed in place
     * without splitting the line. Returns false for any other event.
     */
    private boolean fastPath(String line) {
        boolean fault = line.startsWith("fault\t");
        if (!fault && !line.startsWith("lookup\t")) {
            return false;
        }
        int p = fault ? 6 : 7;
        int tab = line.indexOf('\t', p);
        int tid = (int) parse(line, p, tab);
        int end = line.indexOf('\t', tab + 1);
        long addr = parse(line, tab + 1, end < 0 ? line.length() : end);
        int pid = pid(tid);
        if (fault) {
            fault(pid, addr);
        } else {
            k.findVma(pid, addr);
        }
        return true;
    }

    private static boolean isChange(String ev) {
        switch (ev) {
            case "map":
            case "unmap":
            case "mprotect":
            case "mremap":
            case "brk":
                return true;
            default:
                return false;
        }
    }

    /** A decimal or 0x-hex number in line[from, to), as Long.decode would read it. */
    static long parse(String s, int from, int to) {
        if (to <= from) {
            throw new NumberFormatException("empty field");
        }
        if (to - from > 2 && s.charAt(from) == '0' && (s.charAt(from + 1) == 'x' || s.charAt(from + 1) == 'X')) {
            return Long.parseUnsignedLong(s, from + 2, to, 16);
        }
        return Long.parseLong(s, from, to, 10);
    }

    private static int split(String line, String[] f) {
        int n = 0;
        int from = 0;
        while (n < f.length) {
            int tab = line.indexOf('\t', from);
            if (tab < 0) {
                f[n++] = line.substring(from);
                break;
            }
            f[n++] = line.substring(from, tab);
            from = tab + 1;
        }
        for (int i = n; i < f.length; i++) {
            f[i] = null;
        }
        return n;
    }

    static long num(String s) {
        if (s == null) {
            throw new NumberFormatException("missing field");
        }
        return parse(s, 0, s.length());
    }

    private static void need(int nf, int n) {
        if (nf < n) {
            throw new NumberFormatException("too few fields");
        }
    }

    private int pid(String tidField) {
        return pid((int) num(tidField));
    }

    private int pid(int tid) {
        if (tid == lastTid) {
            return lastPid;
        }
        int pid = pids.get(tid);
        if (pid == 0) { // a task the trace did not show being created: a fresh process
            pid = k.spawn("tid" + tid);
            k.exec(pid, "tid" + tid);
            pids.put(tid, pid);
        }
        lastTid = tid;
        lastPid = pid;
        return pid;
    }

    private void apply(String[] f, int nf) {
        String ev = f[0];
        switch (ev) {
            case "fault":
                need(nf, 3);
                fault(pid(f[1]), num(f[2]));
                break;
            case "lookup":
                need(nf, 3);
                k.findVma(pid(f[1]), num(f[2]));
                break;
            case "map":
                need(nf, 7);
                map(pid(f[1]), num(f[2]), num(f[3]), f[4], f[5], num(f[6]));
                break;
            case "unmap":
                need(nf, 4);
                k.doMunmap(pid(f[1]), num(f[2]), VmFlags.pageAlign(num(f[3])));
                break;
            case "mprotect":
                need(nf, 5);
                k.mprotectRange(pid(f[1]), num(f[2]), VmFlags.pageAlign(num(f[3])), (int) num(f[4]));
                break;
            case "brk":
                need(nf, 4);
                brk(pid(f[1]), num(f[2]), num(f[3]));
                break;
            case "mremap":
                need(nf, 6);
                mremap(pid(f[1]), num(f[2]), num(f[3]), num(f[4]), num(f[5]));
                break;
            case "check":
                need(nf, 4);
                check(pid(f[1]), num(f[2]), num(f[3]));
                break;
            case "exec":
                need(nf, 3);
                exec(f[1], f[2]);
                break;
            case "fork":
                need(nf, 4);
                fork(f[1], f[2], f[3]);
                break;
            case "exit":
                need(nf, 2);
                exit(f[1]);
                break;
            default:
                // an event name is echoed only if it looks like one: never a piece of an arbitrary file
                throw new KernelException(
                        Errno.EINVAL,
                        ev.matches("[a-z_][a-z0-9_]{0,31}") ? "unknown event '" + ev + "'" : "unknown event");
        }
    }

    private void fault(int pid, long addr) {
        try {
            k.fault(pid, addr);
        } catch (KernelException e) {
            if (e.errno() != Errno.EFAULT) {
                throw e;
            }
            segv++; // SIGSEGV in the traced program; its find_vma was still made and counted
        }
    }

    private void map(int pid, long start, long end, String prot, String file, long off) {
        if (prot.length() < 4) {
            throw new NumberFormatException("prot " + prot);
        }
        int flags = (prot.charAt(0) == 'r' ? VmFlags.VM_READ : 0)
                | (prot.charAt(1) == 'w' ? VmFlags.VM_WRITE : 0)
                | (prot.charAt(2) == 'x' ? VmFlags.VM_EXEC : 0)
                | (prot.charAt(3) == 's' ? VmFlags.VM_SHARED : 0)
                | (prot.endsWith("+n") ? VmFlags.VM_NORESERVE : 0);
        k.mmapRegion(pid, start, VmFlags.pageAlign(end), flags, file, off >>> VmFlags.PAGE_SHIFT);
    }

    private void brk(int pid, long requested, long returned) {
        AddressSpace mm = k.task(pid).mm();
        if (requested == 0) {
            if (mm.startBrk() == 0 && returned > 0) {
                k.setStartBrk(pid, returned); // the first brk(0) tells where the ELF loader put start_brk
            }
            return;
        }
        if (mm.startBrk() == 0) {
            k.setStartBrk(pid, VmFlags.pageAlign(returned));
        }
        k.brk(pid, requested);
    }

    private void mremap(int pid, long old, long oldLen, long newLen, long ret) {
        if (ret < 0 || ret >= VmFlags.TASK_SIZE || (ret & (VmFlags.PAGE_SIZE - 1)) != 0) {
            return; // the call failed in the traced program: nothing changed
        }
        k.doMremap(pid, old, VmFlags.pageAlign(oldLen), VmFlags.pageAlign(newLen), ret);
    }

    private void check(int pid, long start, long end) {
        checks++;
        VmArea v = k.peekVma(pid, start);
        if (v == null || v.start() != start || v.end() != end) {
            if (mismatches++ == 0) {
                firstMismatch = String.format(
                        "line %d: trace has %x-%x, model has %s",
                        line, start, end, v == null ? "nothing" : String.format("%x-%x", v.start(), v.end()));
            }
        }
    }

    private void exec(String tidField, String comm) {
        int tid = (int) num(tidField);
        int pid = pids.get(tid);
        if (pid == 0) {
            pid = k.spawn(comm);
            pids.put(tid, pid);
        }
        k.exec(pid, comm);
        lastTid = -1;
    }

    private void fork(String ptid, String ctid, String cloneVm) {
        int parent = pid(ptid);
        boolean vm = "True".equalsIgnoreCase(cloneVm) || "1".equals(cloneVm);
        if (!vm && !"False".equalsIgnoreCase(cloneVm) && !"0".equals(cloneVm)) {
            throw new NumberFormatException("clone_vm " + cloneVm);
        }
        Task p = k.task(parent);
        int child = k.clone(parent, 0, vm, vm && p != null);
        pids.put((int) num(ctid), child);
        lastTid = -1;
    }

    private void exit(String tidField) {
        int tid = (int) num(tidField);
        int pid = pids.get(tid);
        if (pid != 0) {
            k.exit(pid);
            pids.remove(tid);
        }
        lastTid = -1;
    }
}
