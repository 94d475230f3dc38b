package org.kmodel.livepatch.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.livepatch.FunctionTracing;

/**
 * The ftrace core's side of the function tracers (kernel/trace/ftrace.c): which functions are traced (the
 * filter hash of the tracer's ftrace_ops; traced functions get the dispatcher, the others keep their direct
 * call), and the per-task return stack of the graph tracer (kernel/trace/fgraph.c {@code ftrace_push_return_trace}),
 * from which each return gets its duration.
 */
final class FunctionTracingImpl implements FunctionTracing, Ftrace.Tracer {
    /**
     * {@code parent_ip} where the caller is not a patchable function the task has a frame of: the function's
     * caller in the kernel source of the release (fs/open.c, fs/seq_file.c, kernel/module/main.c, kernel/sysctl.c).
     */
    private static final Map<String, String> CALLERS_6 = Map.of(
            "vfs_fallocate",
            "ksys_fallocate",
            "ext4_fallocate",
            "vfs_fallocate",
            "xfs_file_fallocate",
            "vfs_fallocate",
            "shmem_fallocate",
            "vfs_fallocate",
            "ext4_collapse_range",
            "ext4_fallocate",
            "xfs_collapse_file_space",
            "xfs_file_fallocate",
            "cmdline_proc_show",
            "seq_read_iter",
            "module_sig_check",
            "load_module",
            "proc_taint",
            "proc_sys_call_handler",
            "find_vma",
            "lock_mm_and_find_vma");

    private static final Map<String, String> CALLERS_3 = Map.of(
            "vfs_fallocate",
            "SyS_fallocate",
            "ext4_fallocate",
            "vfs_fallocate",
            "xfs_file_fallocate",
            "vfs_fallocate",
            "shmem_fallocate",
            "vfs_fallocate",
            "ext4_collapse_range",
            "ext4_fallocate",
            "xfs_collapse_file_space",
            "xfs_file_fallocate",
            "cmdline_proc_show",
            "seq_read",
            "module_sig_check",
            "load_module",
            "proc_taint",
            "proc_sys_call_handler",
            "find_vma",
            "__do_page_fault");

    private final Ftrace ftrace;
    private final Map<String, String> callers;
    private volatile Callback callback;

    /** The vmlinux functions known before their class is loaded (kallsyms): listed and traceable at once. */
    private final Set<String> vmlinux;

    FunctionTracingImpl(Ftrace ftrace, KernelRelease release, Set<String> vmlinux) {
        this.ftrace = ftrace;
        this.vmlinux = vmlinux;
        this.callers = release.atLeast(4, 0) ? CALLERS_6 : CALLERS_3;
        ftrace.tracer = this;
    }

    @Override
    public List<String> availableFilterFunctions() {
        java.util.TreeSet<String> out = new java.util.TreeSet<>(vmlinux);
        ftrace.functions().stream()
                .filter(f -> !f.sites.isEmpty())
                .map(FuncState::toString)
                .forEach(out::add);
        return List.copyOf(out);
    }

    @Override
    public void trace(Callback cb, Set<String> functions) {
        synchronized (ftrace) {
            Set<String> known = new HashSet<>(availableFilterFunctions());
            if (functions != null) {
                for (String f : functions) {
                    if (!known.contains(f)) {
                        throw new KernelException(Errno.EINVAL, "no patchable function " + f);
                    }
                }
            }
            callback = cb;
            ftrace.traceAll = cb != null && functions == null;
            for (String name : vmlinux) {
                ftrace.func(org.kmodel.livepatch.KernelFunction.VMLINUX, name); // traced when its site appears
            }
            for (FuncState fs : ftrace.functions()) {
                boolean on = cb != null
                        && known.contains(fs.toString())
                        && (functions == null || functions.contains(fs.toString()));
                if (fs.traced != on) {
                    ftrace.trace(fs, on);
                }
            }
        }
    }

    /** Called by the dispatcher of a traced function, after the frame is pushed. */
    @Override
    public void enter(TaskImpl t, FuncState fs) {
        Callback cb = callback;
        if (cb == null) {
            return;
        }
        int d = t.traceDepth;
        if (d == t.traceFunc.length) {
            t.traceFunc = Arrays.copyOf(t.traceFunc, d * 2);
            t.traceFrame = Arrays.copyOf(t.traceFrame, d * 2);
            t.traceStart = Arrays.copyOf(t.traceStart, d * 2);
        }
        t.traceFunc[d] = fs;
        t.traceFrame[d] = t.depth();
        t.traceStart[d] = System.nanoTime();
        t.traceDepth = d + 1;
        FuncState caller = t.caller();
        String parent = caller != null ? caller.name : callers.get(fs.name);
        cb.entry(fs.toString(), parent, d);
    }

    /** Called by every dispatcher on return, before the frame is popped: the return of a traced entry? */
    @Override
    public void exit(TaskImpl t, FuncState ignored) {
        int d = t.traceDepth - 1;
        if (d < 0 || t.traceFrame[d] != t.depth()) {
            return;
        }
        long nanos = System.nanoTime() - t.traceStart[d];
        FuncState fs = t.traceFunc[d];
        t.traceFunc[d] = null;
        t.traceDepth = d;
        Callback cb = callback;
        if (cb != null) {
            cb.exit(fs.toString(), d, nanos);
        }
    }
}
