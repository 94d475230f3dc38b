package org.kmodel.shell.internal.mm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.mm.CacheStats;
import org.kmodel.mm.MmService;
import org.kmodel.mm.Task;
import org.kmodel.mm.VmFlags;
import org.kmodel.mm.WorkloadResult;
import org.kmodel.mm.WorkloadRunner;
import org.kmodel.shell.internal.Columns;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.vfs.OpenFile;
import org.kmodel.vfs.OpenFlags;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The mm commands: ps, VMA cache selection, maps, mmap/munmap/mprotect, and the VMA-caching workloads. */
@Component(
        service = MmCommands.class,
        property = {
            "osgi.command.scope=mm",
            "osgi.command.function=ps",
            "osgi.command.function=cache",
            "osgi.command.function=maps",
            "osgi.command.function=spawn",
            "osgi.command.function=mmap",
            "osgi.command.function=munmap",
            "osgi.command.function=mprotect",
            "osgi.command.function=findvma",
            "osgi.command.function=stats",
            "osgi.command.function=fork",
            "osgi.command.function=thread",
            "osgi.command.function=exit",
            "osgi.command.function=fault",
            "osgi.command.function=brk",
            "osgi.command.function=replay",
            "osgi.command.function=workload",
            "osgi.command.function=table"
        })
public class MmCommands {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MmService mm;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WorkloadRunner runner;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    private WorkloadRunner runner() {
        WorkloadRunner r = runner;
        if (r == null) {
            throw new KernelException(Errno.ENOPKG, "mm.workload bundle not active");
        }
        return r;
    }

    @Descriptor("list tasks like ps -eLf: PID (tgid), LWP (tid), PPID, VMAS and COMMAND")
    public String ps() {
        Columns c = new Columns(2);
        c.row("PID", "LWP", "PPID", "VMAS", "CMD");
        for (Task t : mm.tasks()) {
            String cmd = t.kthread() ? "[" + t.comm() + "]" : t.comm();
            c.row(t.tgid(), t.pid(), t.ppid(), t.mm() == null ? "-" : t.mm().mapCount(), cmd);
        }
        return c.toString();
    }

    @Descriptor("show the VMA cache designs, or select one (safe while lookups run)")
    public String cache(
            @Descriptor("design to select: mmapcache, largest, vmacache, lru, none (optional)") String... args) {
        if (args.length > 1) {
            throw new KernelException(Errno.EINVAL, "usage: mm:cache [DESIGN]");
        }
        if (args.length == 1) {
            mm.selectCacheDesign(args[0]);
        }
        Columns c = new Columns(2);
        c.row("", "DESIGN", "DESCRIPTION");
        String cur = mm.cacheDesign();
        for (String d : mm.cacheDesigns()) {
            c.row(d.equals(cur) ? "*" : "", d, mm.describe(d));
        }
        return c.toString();
    }

    @Descriptor("find_vma hit/miss counters per design (also in /proc/vmstat)")
    public String stats() {
        Columns c = new Columns(2);
        c.row("DESIGN", "FIND_CALLS", "FIND_HITS", "HIT%", "NULL", "FOREIGN", "INVALIDATIONS", "STALE_REJECTED");
        for (CacheStats s : mm.cacheStats()) {
            c.row(
                    s.design,
                    s.calls,
                    s.hits,
                    TableFormat.pct(s.hitRate()),
                    s.nullResults,
                    s.foreign,
                    s.invalidations,
                    s.staleRejected);
        }
        return c.toString();
    }

    @Descriptor("print /proc/PID/maps")
    public String maps(@Descriptor("pid") int pid) {
        return mm.procMaps(pid);
    }

    @Descriptor("start a process with a typical ELF layout; prints its pid")
    public int spawn(@Descriptor("command name") String comm) {
        Getopt.noOptions(comm);
        if (comm.isEmpty()) {
            throw new KernelException(Errno.EINVAL, "empty command name");
        }
        return mm.spawn(comm);
    }

    @Descriptor("fork(2): a child process with a copy of PID's address space; prints the child's pid")
    public int fork(@Descriptor("parent pid") int pid) {
        return mm.clone(pid, 0, false, false);
    }

    @Descriptor("clone(CLONE_VM|CLONE_THREAD): a thread sharing PID's mm and inheriting its VMA cache; prints its tid")
    public int thread(@Descriptor("pid") int pid) {
        return mm.clone(pid, 0, true, true);
    }

    @Descriptor("clone(CLONE_VM|CLONE_THREAD) with a child stack, as pthread_create passes the top of the stack "
            + "it mmapped: mm:thread PID STACK_ADDR; 3.x maps name that VMA [stack:TID]; prints the tid")
    public int thread(@Descriptor("pid") int pid, @Descriptor("stack pointer") String stack) {
        long sp = num(stack);
        int tid = mm.clone(pid, 0, true, true);
        mm.setStackPointer(tid, sp);
        return tid;
    }

    @Descriptor("the task exits; its mm goes away with its last user")
    public void exit(@Descriptor("pid") int pid) {
        mm.exit(pid);
    }

    @Descriptor("a page fault at ADDR in task PID (find_vma, stack growth); prints the VMA")
    public String fault(@Descriptor("pid") int pid, @Descriptor("address") String addr) {
        var v = mm.fault(pid, num(addr));
        return String.format("%x-%x %s %s", v.start(), v.end(), v.perms(), v.file());
    }

    @Descriptor("brk(2): set the program break of PID; prints the break (unchanged if refused)")
    public String brk(@Descriptor("pid") int pid, @Descriptor("new break (0 asks)") String addr) {
        return String.format("0x%x", mm.brk(pid, num(addr)));
    }

    private static long num(String s) {
        try {
            return Long.decode(s);
        } catch (NumberFormatException e) {
            throw new KernelException(Errno.EINVAL, "not a number: " + s);
        }
    }

    private static int prot(String p) {
        int prot = 0;
        for (char ch : p.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (ch) {
                case 'r':
                    prot |= VmFlags.PROT_READ;
                    break;
                case 'w':
                    prot |= VmFlags.PROT_WRITE;
                    break;
                case 'x':
                    prot |= VmFlags.PROT_EXEC;
                    break;
                case '-':
                    break;
                default:
                    throw new KernelException(Errno.EINVAL, "prot must be like rw- or r-x: " + p);
            }
        }
        return prot;
    }

    @Descriptor("mmap(2) anonymous or file memory in a task: mm:mmap PID ADDR LEN PROT [fixed] [FILE OFFSET]")
    public String mmap(@Descriptor("pid ADDR(0=any) LEN PROT(rw-) [fixed] [FILE OFFSET]") String... a) {
        if (a.length < 4) {
            throw new KernelException(Errno.EINVAL, "usage: mm:mmap PID ADDR LEN PROT [fixed] [FILE OFFSET]");
        }
        int i = 4;
        int flags = VmFlags.MAP_PRIVATE;
        if (a.length > i && "fixed".equals(a[i])) {
            flags |= VmFlags.MAP_FIXED;
            i++;
        }
        String file = a.length > i ? a[i] : null;
        long off = a.length > i + 1 ? num(a[i + 1]) : 0;
        if (file == null) {
            flags |= VmFlags.MAP_ANONYMOUS;
        }
        long addr = mm.mmap((int) num(a[0]), num(a[1]), num(a[2]), prot(a[3]), flags, file, off);
        return String.format("0x%x", addr);
    }

    @Descriptor("munmap(2): mm:munmap PID ADDR LEN")
    public void munmap(
            @Descriptor("pid") int pid, @Descriptor("address") String addr, @Descriptor("length") String len) {
        mm.munmap(pid, num(addr), num(len));
    }

    @Descriptor("mprotect(2): mm:mprotect PID ADDR LEN PROT")
    public void mprotect(
            @Descriptor("pid") int pid,
            @Descriptor("address") String addr,
            @Descriptor("length") String len,
            @Descriptor("prot like r-x") String prot) {
        mm.mprotect(pid, num(addr), num(len), prot(prot));
    }

    @Descriptor("find_vma(2) as task PID: the first VMA ending above ADDR (may not contain it)")
    public String findvma(@Descriptor("pid") int pid, @Descriptor("address") String addr) {
        var v = mm.findVma(pid, num(addr));
        return v == null ? "(none)" : String.format("%x-%x %s %s", v.start(), v.end(), v.perms(), v.file());
    }

    @Descriptor("replay a page-fault trace (plain or .xz): mm:replay --design D FILE")
    public String replay(@Descriptor("--design D FILE") String... a) {
        Getopt o = Getopt.parse(a, "", "design:");
        String design = o.value("design") == null ? mm.cacheDesign() : o.value("design");
        if (o.operands().size() != 1) {
            throw new KernelException(Errno.EINVAL, "usage: mm:replay --design D FILE");
        }
        String file = o.operands().get(0);
        WorkloadResult r = runner().replay(design, Path.of(file));
        return String.format(
                        Locale.ROOT,
                        "%s: design %s, %d events, %d lookups, %d hits (%.2f %%), "
                                + "%d invalidations, %d stale hits refused, layout checks %d/%d mismatched, %d events refused, "
                                + "%.1f M events/s%n",
                        r.workload,
                        r.design,
                        r.events,
                        r.lookups,
                        r.hits,
                        r.hitRate(),
                        r.invalidations,
                        r.staleRejected,
                        r.checkMismatches,
                        r.checks,
                        r.failedEvents,
                        r.events / Math.max(1.0, r.nanos / 1e3))
                + (r.firstMismatch == null ? "" : "first mismatch: " + r.firstMismatch + "\n");
    }

    @Descriptor("run a synthetic workload (boot, kbuild, ebizzy): mm:workload --design D --seed N NAME")
    public String workload(@Descriptor("--design D --seed N NAME") String... a) {
        Getopt o = Getopt.parse(a, "", "design:", "seed:");
        String design = o.value("design") == null ? mm.cacheDesign() : o.value("design");
        long seed = o.value("seed") == null ? 1 : num(o.value("seed"));
        if (o.operands().size() > 1) {
            throw new KernelException(Errno.EINVAL, "usage: mm:workload --design D --seed N NAME");
        }
        String name = o.operands().isEmpty() ? null : o.operands().get(0);
        if (name == null) {
            throw new KernelException(
                    Errno.EINVAL,
                    "usage: mm:workload --design D --seed N NAME (names: " + String.join(", ", runner().workloads())
                            + ")");
        }
        WorkloadResult r = runner().workload(design, name, seed);
        return String.format(
                Locale.ROOT,
                "%s seed %d: design %s, %d lookups, %d hits (%.2f %%, article %s), "
                        + "%d invalidations, %d stale hits refused%n",
                r.workload,
                seed,
                r.design,
                r.lookups,
                r.hits,
                r.hitRate(),
                TableFormat.pct(r.published),
                r.invalidations,
                r.staleRejected);
    }

    @Descriptor(
            "every design on every workload next to the published numbers (SOURCE: LWN article or LKML mail): "
                    + "mm:table [--seeds N] [--json] [--chart FILE.svg (in kmodel's tree)] [--host-chart HOSTFILE.svg] [--quiet]")
    public WorkloadTable table(
            @Descriptor("[--seeds N] [--json] [--chart FILE] [--host-chart HOSTFILE] [--quiet]") String... a) {
        Getopt o = Getopt.parse(a, "", "json", "quiet", "seeds:", "chart:", "host-chart:");
        if (!o.operands().isEmpty()) {
            throw new KernelException(
                    Errno.EINVAL, "unexpected argument '" + o.operands().get(0) + "'");
        }
        int seeds = o.value("seeds") == null ? 3 : (int) num(o.value("seeds"));
        boolean json = o.has("json");
        boolean quiet = o.has("quiet");
        String chart = o.value("chart");
        String hostChart = o.value("host-chart");
        Vfs fs = vfs;
        if (chart != null && fs == null) {
            throw new KernelException(Errno.ENOENT, "--chart " + chart + ": no VFS (use --host-chart for a host file)");
        }
        boolean q = quiet;
        List<WorkloadResult> rows = new ArrayList<>(runner().table(seeds, line -> {
            if (!q) {
                System.err.println(line); // progress on stderr keeps --json output clean
            }
        }));
        if (chart != null) {
            // into kmodel's own tree, like every file command; the host is touched only with --host-chart
            byte[] b = TableFormat.svg(rows).getBytes(StandardCharsets.UTF_8);
            try (OpenFile f = fs.open(chart, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, 0644)) {
                for (int done = 0; done < b.length; ) {
                    done += f.write(b, done, b.length - done);
                }
            }
        }
        if (hostChart != null) {
            try {
                Files.writeString(Path.of(hostChart), TableFormat.svg(rows), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new KernelException(Errno.EIO, "writing " + hostChart + ": " + e.getMessage());
            }
        }
        return new WorkloadTable(List.copyOf(rows), json);
    }
}
