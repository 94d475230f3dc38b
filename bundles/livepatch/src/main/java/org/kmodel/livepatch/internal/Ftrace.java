package org.kmodel.livepatch.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.livepatch.KernelFunction;

/**
 * The ftrace side of the patchable functions (kernel/trace/ftrace.c, arch/x86/kernel/ftrace.c) plus the
 * task table it needs. A function's site points at the original code until something must see each entry
 * (a transition, a parked task, the function tracer); then it points at a dispatcher that records the entry
 * on the calling task's kernel stack, offers the stop points of stop_machine and the parking point, and picks
 * the code the task must run ({@link FuncState#targetFor}, klp_ftrace_handler). Once nothing needs it, the
 * site points straight at the newest replacement.
 *
 * <p>Stack reliability: a task that entered the kernel before a function was armed may be inside that
 * function without a recorded frame. {@link #reliable} says so, and the consistency models treat such a
 * stack as the kernel treats an unreliable stack trace: not switchable until it returns to user space.
 */
final class Ftrace implements KernelFunction.Ftrace {
    /** What the consistency model does at the boundaries (set by the live patching core). */
    interface Boundary {
        void entry(TaskImpl t);

        void exit(TaskImpl t);

        /** A kernel thread's safe point or the idle loop. */
        void safePoint(TaskImpl t);

        /** patch_state of a task that appears during a transition (fork inherits; user space already switched). */
        int newTaskState();
    }

    /** The function tracer's hook (kernel/trace/trace_functions.c). */
    interface Tracer {
        void enter(TaskImpl t, FuncState fs);

        void exit(TaskImpl t, FuncState fs);
    }

    private static final MethodHandle ENTER;
    private static final MethodHandle SELECT;
    private static final MethodHandle EXIT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ENTER = l.findVirtual(Ftrace.class, "enter", MethodType.methodType(TaskImpl.class, FuncState.class));
            SELECT = l.findStatic(
                    Ftrace.class,
                    "select",
                    MethodType.methodType(MethodHandle.class, FuncState.class, KernelFunction.class, TaskImpl.class));
            EXIT = l.findVirtual(Ftrace.class, "exit", MethodType.methodType(void.class, TaskImpl.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<String, FuncState> funcs = new ConcurrentHashMap<>();
    private final Map<KernelFunction, MethodHandle> dispatchers = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong(1);
    private final ThreadLocal<TaskImpl> current = new ThreadLocal<>();
    private final ThreadLocal<TaskImpl> implicit = new ThreadLocal<>();
    /** Every task that can run kernel code: the table's tasks, plus implicit ones while inside a function. */
    final Set<TaskImpl> tasks = ConcurrentHashMap.newKeySet();

    volatile Boundary boundary;
    volatile Tracer tracer;
    /** The function tracer with an empty filter: functions defined from now on are traced too. */
    volatile boolean traceAll;

    volatile boolean stopRequested;
    private final Object stopLock = new Object();
    private final Object stopMachineMutex = new Object();

    // ---- sites ----------------------------------------------------------------------------------------

    @Override
    public void defined(KernelFunction site) {
        FuncState fs = func(site.object(), site.name());
        synchronized (this) {
            fs.sites.add(site);
            if (traceAll) {
                fs.traced = true;
            }
            retarget(fs);
        }
    }

    FuncState func(String object, String name) {
        return funcs.computeIfAbsent(object + ":" + name, k -> new FuncState(object, name));
    }

    /** The function if some site defines it, else null (kallsyms_lookup_name failing). */
    FuncState defined(String object, String name) {
        FuncState fs = funcs.get(object + ":" + name);
        return fs == null || fs.sites.isEmpty() ? null : fs;
    }

    List<FuncState> functions() {
        return new ArrayList<>(funcs.values());
    }

    /**
     * The patchable functions go back to their original code and stop reporting to this ftrace: no patch, no
     * transition, no parking, no tracing on any of them (they are global; the next ftrace starts clean). Run when
     * live patching goes away, after its tasks and core stopped. Not under this monitor: KernelFunction's lock
     * is taken first when a function is defined, so taking it from here would invert the order.
     */
    void detach() {
        KernelFunction.ftrace(null);
        for (FuncState fs : functions()) {
            fs.stack = new FuncState.PatchFunc[0];
            fs.tracking = 0;
            fs.parkers = 0;
            fs.traced = false;
            retarget(fs);
        }
    }

    /** Points every site of {@code fs} at what its state asks for; callers hold the monitor. */
    synchronized void retarget(FuncState fs) {
        for (KernelFunction site : fs.sites) {
            site.retarget(
                    fs.armed() ? dispatchers.computeIfAbsent(site, s -> dispatcher(fs, s)) : fs.steadyTarget(site));
        }
        // The epoch moves only after every thread sees the dispatcher (retarget syncs), and only when the
        // function goes from unarmed to armed: frames are recorded from then on, whatever the reason.
        if (!fs.armed()) {
            fs.armEpoch = Long.MAX_VALUE;
        } else if (fs.armEpoch == Long.MAX_VALUE) {
            fs.armEpoch = epoch.incrementAndGet();
        }
    }

    /** Keeps the dispatcher on {@code fs} (a transition); bumps the epoch after every thread sees it. */
    synchronized void track(FuncState fs, boolean on) {
        fs.tracking += on ? 1 : -1;
        retarget(fs);
    }

    synchronized void trace(FuncState fs, boolean on) {
        fs.traced = on;
        retarget(fs);
    }

    synchronized FuncState parkArm(TaskImpl t, String name) {
        FuncState fs = lookupAny(name);
        if (fs == null && Kallsyms.VMLINUX.contains(name)) {
            fs = func(KernelFunction.VMLINUX, name); // known, its class not loaded yet: armed when it is
        }
        if (fs == null) {
            throw new KernelException(Errno.EINVAL, "park: no patchable function " + name);
        }
        fs.parkers++;
        retarget(fs);
        return fs;
    }

    synchronized void parkDisarm(FuncState fs) {
        fs.parkers = Math.max(0, fs.parkers - 1);
        retarget(fs);
    }

    /** A function by "name" (vmlinux first) or "object:name". */
    FuncState lookupAny(String spec) {
        int c = spec.indexOf(':');
        if (c > 0) {
            return defined(spec.substring(0, c), spec.substring(c + 1));
        }
        FuncState fs = defined(KernelFunction.VMLINUX, spec);
        if (fs != null) {
            return fs;
        }
        return funcs.values().stream()
                .filter(f -> f.name.equals(spec) && !f.sites.isEmpty())
                .findFirst()
                .orElse(null);
    }

    /**
     * The dispatcher: {@code t = enter(); try { select(t).invokeExact(args) } finally { exit(t); }}. The task is
     * looked up once per call and handed to the cleanup as the body's leading argument; enter pushes the
     * frame, offers the stop and parking points and calls the tracer; select picks the code the task runs.
     */
    private MethodHandle dispatcher(FuncState fs, KernelFunction site) {
        MethodType t = site.type();
        // (TaskImpl, args) -> R: invokeExact(select(fs, site, task), args)
        MethodHandle select = MethodHandles.insertArguments(SELECT, 0, fs, site);
        MethodHandle body = MethodHandles.filterArguments(MethodHandles.exactInvoker(t), 0, select);
        MethodHandle exit = EXIT.bindTo(this);
        Class<?> r = t.returnType();
        MethodHandle cleanup;
        if (r == void.class) {
            cleanup = MethodHandles.dropArguments(exit, 0, Throwable.class); // (Throwable, TaskImpl)
        } else {
            // (Throwable, R, TaskImpl) -> R: exit(task), then the result
            MethodHandle ret = MethodHandles.dropArguments(MethodHandles.identity(r), 1, TaskImpl.class);
            cleanup = MethodHandles.dropArguments(
                    MethodHandles.foldArguments(ret, MethodHandles.dropArguments(exit, 0, r)), 0, Throwable.class);
        }
        MethodHandle guarded = MethodHandles.tryFinally(body, cleanup);
        return MethodHandles.foldArguments(guarded, MethodHandles.insertArguments(ENTER, 0, this, fs));
    }

    @SuppressWarnings("unused") // via ENTER
    private TaskImpl enter(FuncState fs) {
        TaskImpl t = current.get();
        if (t == null) {
            t = implicitEnter();
        }
        t.enter(fs);
        Tracer tr = tracer;
        if (tr != null && fs.traced) {
            try {
                tr.enter(t, fs);
            } catch (RuntimeException e) {
                exit(t); // the frame is pushed but the body never runs: pop it
                throw e;
            }
        }
        return t;
    }

    @SuppressWarnings("unused") // via SELECT
    private static MethodHandle select(FuncState fs, KernelFunction site, TaskImpl t) {
        return fs.targetFor(site, t.patchState);
    }

    @SuppressWarnings("unused") // via EXIT
    private void exit(TaskImpl t) {
        if (t.traceDepth > 0) {
            Tracer tr = tracer;
            if (tr != null) {
                tr.exit(t, null);
            }
        }
        t.exit();
        if (t.implicit && t.depth() == 0) {
            synchronized (t) {
                tasks.remove(t);
                t.inKernel = false;
                t.patchState = TaskImpl.UNDEFINED;
            }
        }
    }

    /** A thread that is no task entered an armed function: it is a task in a system call until it leaves. */
    private TaskImpl implicitEnter() {
        TaskImpl t = implicit.get();
        if (t == null) {
            t = new TaskImpl(0, Thread.currentThread().getName(), TaskImpl.Kind.USER, true, this, null);
            t.thread = Thread.currentThread();
            implicit.set(t);
        }
        if (t.depth() == 0) {
            Boundary b = boundary;
            synchronized (t) {
                t.entryEpoch = epoch.get();
                t.patchState = b == null ? TaskImpl.UNDEFINED : b.newTaskState();
                t.inKernel = true;
                tasks.add(t);
            }
        }
        return t;
    }

    // ---- tasks ----------------------------------------------------------------------------------------

    void bind(TaskImpl t) {
        t.thread = Thread.currentThread();
        current.set(t);
    }

    TaskImpl current() {
        return current.get();
    }

    long epoch() {
        return epoch.get();
    }

    /** True if every frame of the functions in question was recorded (see the class comment). */
    static boolean reliable(TaskImpl t, long armEpoch) {
        return !t.inKernel || t.atBoundary || t.entryEpoch >= armEpoch;
    }

    /**
     * Waits (at most {@code millis}) until every running task has a reliable stack for {@code armEpoch}: the
     * grace period after registering a handler, as ftrace waits before it relies on one. Blocked tasks are
     * not waited for (they may sleep for ever); they stay unreliable until they return to user space.
     */
    void awaitReliable(long armEpoch, long millis) {
        long until = System.nanoTime() + millis * 1_000_000L;
        for (TaskImpl t : tasks) {
            while (!reliable(t, armEpoch) && !t.blocked && tasks.contains(t) && System.nanoTime() < until) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    void kernelEntry(TaskImpl t) {
        synchronized (t) {
            t.entryEpoch = epoch.get();
            t.inKernel = true;
            t.atBoundary = false;
        }
        if (stopRequested) {
            stopHere(t);
        }
        Boundary b = boundary;
        if (b != null) {
            b.entry(t);
        }
    }

    void kernelExit(TaskImpl t) {
        t.atBoundary = true; // the system call returned: nothing is on its kernel stack any more
        if (stopRequested) {
            stopHere(t);
        }
        Boundary b = boundary;
        synchronized (t) {
            if (b != null) {
                b.exit(t);
            }
            t.inKernel = false;
        }
    }

    /** A kernel thread's loop head or the idle loop: nothing of ours is on its stack here. */
    void safePoint(TaskImpl t) {
        synchronized (t) {
            t.entryEpoch = epoch.get();
        }
        if (stopRequested) {
            stopHere(t);
        }
        Boundary b = boundary;
        if (b != null) {
            b.safePoint(t);
        }
    }

    // ---- stop_machine -------------------------------------------------------------------------------

    void stopHere(TaskImpl t) {
        synchronized (stopLock) {
            t.stopped = true;
            stopLock.notifyAll();
            try {
                while (stopRequested) {
                    stopLock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                t.stopped = false;
            }
        }
    }

    /** True if the task cannot run kernel code now: in user space, blocked, or held at a stop point. */
    static boolean quiescent(TaskImpl t) {
        return !t.inKernel || t.blocked || t.stopped;
    }

    /**
     * {@code stop_machine()} (kernel/stop_machine.c): every task that is running kernel code is held at its
     * next stop point (a function entry or exit, a system call boundary, a safe point), then {@code inside}
     * runs alone. Returns the nanoseconds the machine was stopped (from the request to the release).
     */
    long stopMachine(Runnable inside) {
        synchronized (stopMachineMutex) {
            long t0 = System.nanoTime();
            stopRequested = true;
            try {
                synchronized (stopLock) {
                    while (!allQuiescent()) {
                        stopLock.wait(1);
                    }
                }
                inside.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KernelException(Errno.EINTR, "stop_machine");
            } finally {
                synchronized (stopLock) {
                    stopRequested = false;
                    stopLock.notifyAll();
                }
            }
            return System.nanoTime() - t0;
        }
    }

    private boolean allQuiescent() {
        Thread me = Thread.currentThread();
        for (TaskImpl t : tasks) {
            if (t.thread != me && !quiescent(t)) {
                return false;
            }
        }
        return true;
    }
}
