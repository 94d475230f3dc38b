package org.kmodel.livepatch.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.livepatch.KTask;
import org.kmodel.mm.AddressSpace;

/**
 * {@code struct task_struct}, the parts live patching needs: the kernel stack of patchable functions, whether
 * the task is in the kernel and running, {@code patch_state} (kernel/livepatch/transition.c) and the
 * parking point of the tests. The stack is written only by the task's own thread; others read it only while
 * the task cannot run kernel code (in user space, blocked, or stopped), which the task's monitor orders.
 */
final class TaskImpl implements KTask {
    static final int UNDEFINED = -1;
    static final int UNPATCHED = 0;
    static final int PATCHED = 1;

    final int pid;
    final String comm;
    final Kind kind;
    /** A thread that is no task of ours but entered an armed function (a shell, a Felix thread). */
    final boolean implicit;

    private final Ftrace ftrace;
    final AddressSpace mm;
    Thread thread;

    volatile boolean inKernel;
    volatile long entryEpoch;
    /** At a system call boundary on its way out: its kernel stack is empty. */
    volatile boolean atBoundary;

    private FuncState[] frames = new FuncState[16];
    /**
     * Frames in use. Written only by the task's own thread with a release store (no StoreLoad fence on the
     * per-call path): whoever reads another task's stack does so while the task cannot run kernel code
     * (blocked, stopped, or at a boundary), which it entered through a monitor or a volatile write after its
     * last push or pop, so the read (acquire) sees the frames below {@code depth} complete.
     */
    private int depth;

    private static final java.lang.invoke.VarHandle DEPTH;

    static {
        try {
            DEPTH = java.lang.invoke.MethodHandles.lookup().findVarHandle(TaskImpl.class, "depth", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile int patchState = UNDEFINED;
    /** True while blocked in the kernel (sleeping or parked): the stack may be checked. */
    volatile boolean blocked;
    /** True while held at a stop point by stop_machine. */
    volatile boolean stopped;

    volatile boolean stopping;
    private volatile boolean exited;

    private FuncState parkOn;
    private boolean parkInterruptible;
    private volatile boolean parked;
    private boolean signalled;
    private boolean interruptibleSleep;

    TaskImpl(int pid, String comm, Kind kind, boolean implicit, Ftrace ftrace, AddressSpace mm) {
        this.pid = pid;
        this.comm = comm;
        this.kind = kind;
        this.implicit = implicit;
        this.ftrace = ftrace;
        this.mm = mm;
        this.inKernel = kind != Kind.USER;
    }

    // ---- entry and exit -------------------------------------------------------------------------------

    @Override
    public <T> T syscall(String name, Supplier<T> body) {
        if (Thread.currentThread() != thread) {
            throw new KernelException(Errno.EPERM, name + ": not the task's own thread");
        }
        ftrace.kernelEntry(this);
        try {
            return body.get();
        } finally {
            ftrace.kernelExit(this);
        }
    }

    /** A patchable function's entry (the fentry call): stop point, push, parking point. */
    void enter(FuncState fs) {
        if (ftrace.stopRequested) {
            ftrace.stopHere(this);
        }
        int d = depth;
        if (d == frames.length) {
            frames = Arrays.copyOf(frames, d * 2);
        }
        frames[d] = fs;
        DEPTH.setRelease(this, d + 1);
        if (fs.parkers > 0) {
            maybePark(fs);
        }
    }

    /** The function's return. */
    void exit() {
        int d = depth - 1;
        frames[d] = null;
        DEPTH.setRelease(this, d);
        if (ftrace.stopRequested) {
            ftrace.stopHere(this);
        }
    }

    int depth() {
        return (int) DEPTH.getAcquire(this);
    }

    /** The caller of the innermost frame if it is recorded too (own thread only), else null. */
    FuncState caller() {
        int d = depth;
        return d >= 2 ? frames[d - 2] : null;
    }

    // The function tracers' return stack (fgraph's ret_stack): written only by the task's own thread.
    /** Traced functions the task is inside. */
    int traceDepth;

    FuncState[] traceFunc = new FuncState[8];
    /** The kernel stack depth at each traced entry: its return is the exit at that depth. */
    int[] traceFrame = new int[8];

    long[] traceStart = new long[8];

    /** The frames, innermost first; only stable while the task cannot run kernel code. */
    List<FuncState> frames() {
        int d = depth();
        List<FuncState> out = new ArrayList<>(d);
        FuncState[] f = frames;
        for (int i = Math.min(d, f.length) - 1; i >= 0; i--) {
            if (f[i] != null) {
                out.add(f[i]);
            }
        }
        return out;
    }

    // ---- parking and sleeping -----------------------------------------------------------------------

    @Override
    public void parkIn(String function, boolean interruptible) {
        FuncState fs = ftrace.parkArm(this, function);
        synchronized (this) {
            parkOn = fs;
            parkInterruptible = interruptible;
        }
    }

    private void maybePark(FuncState fs) {
        synchronized (this) {
            if (parkOn != fs) {
                return;
            }
            parked = true;
            blocked = true;
            signalled = false;
            notifyAll();
            try {
                while (parkOn == fs && !(parkInterruptible && signalled)) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                parked = false;
                blocked = false;
            }
            if (parkOn == fs) {
                parkOn = null;
                ftrace.parkDisarm(fs);
            }
        }
        if (ftrace.stopRequested) {
            ftrace.stopHere(this);
        }
    }

    @Override
    public boolean parked() {
        return parked;
    }

    @Override
    public synchronized boolean awaitParked(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (!parked) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
        return true;
    }

    @Override
    public void wake() {
        FuncState fs;
        synchronized (this) {
            fs = parkOn;
            parkOn = null;
            notifyAll();
        }
        if (fs != null) {
            ftrace.parkDisarm(fs);
        }
    }

    /** A fake signal (klp_send_signals / signal_wake_up): ends interruptible waits only. */
    synchronized boolean signal() {
        if ((parked && parkInterruptible) || (blocked && interruptibleSleep)) {
            signalled = true;
            notifyAll();
            return true;
        }
        return false;
    }

    @Override
    public void sleep(long millis) {
        synchronized (this) {
            blocked = true;
            interruptibleSleep = true;
            signalled = false;
            try {
                long until = System.nanoTime() + millis * 1_000_000L;
                while (!signalled && !stopping) {
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wait(Math.max(1, left / 1_000_000L));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                blocked = false;
                interruptibleSleep = false;
            }
        }
        if (ftrace.stopRequested) {
            ftrace.stopHere(this);
        }
    }

    // ---- the rest of KTask ---------------------------------------------------------------------------

    @Override
    public List<String> stack() {
        return frames().stream().map(FuncState::toString).toList();
    }

    @Override
    public boolean inKernel() {
        return inKernel;
    }

    @Override
    public int patchState() {
        return patchState;
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    @Override
    public void stop() {
        stopping = true;
        wake();
        synchronized (this) {
            notifyAll();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void exited() {
        exited = true;
    }

    @Override
    public boolean alive() {
        return !exited;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int tgid() {
        return pid;
    }

    @Override
    public int ppid() {
        return kind == Kind.USER ? 1 : kind == Kind.KTHREAD ? 2 : 0;
    }

    @Override
    public String comm() {
        return comm;
    }

    @Override
    public AddressSpace mm() {
        return mm;
    }

    @Override
    public boolean kthread() {
        return kind != Kind.USER;
    }

    @Override
    public String toString() {
        return comm + "-" + pid;
    }
}
