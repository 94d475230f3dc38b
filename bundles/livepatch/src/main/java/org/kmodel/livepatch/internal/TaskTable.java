package org.kmodel.livepatch.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.kmodel.livepatch.KTask;
import org.kmodel.livepatch.KernelTasks;
import org.kmodel.mm.AddressSpace;
import org.kmodel.mm.MmService;

/**
 * The tasks (kernel/fork.c copy_process, kernel/kthread.c, kernel/sched/idle.c do_idle): each a Java thread
 * bound to its task as {@code current}. User tasks get their pid and address space from mm when it runs.
 * The idle task ({@code swapper/0}, pid 0) wakes periodically and whenever a transition wants it.
 */
final class TaskTable implements KernelTasks {
    private final Ftrace ftrace;
    private final Map<Integer, TaskImpl> byPid = new ConcurrentHashMap<>();
    private final AtomicInteger nextPid = new AtomicInteger(30000);
    volatile MmService mm;
    private TaskImpl idle;
    /** How long the idle task sleeps between passes of its loop. */
    volatile long idleNanos = 50_000_000L;

    TaskTable(Ftrace ftrace) {
        this.ftrace = ftrace;
    }

    @Override
    public KTask spawn(String comm, Consumer<KTask> program) {
        MmService m = mm;
        int pid;
        AddressSpace as = null;
        if (m != null) {
            pid = m.spawn(comm);
            as = m.task(pid).mm();
        } else {
            pid = nextPid.incrementAndGet();
        }
        TaskImpl t = new TaskImpl(pid, comm, KTask.Kind.USER, false, ftrace, as);
        start(t, () -> program.accept(t));
        return t;
    }

    @Override
    public KTask kthread(String comm, Runnable body) {
        TaskImpl t = new TaskImpl(nextPid.incrementAndGet(), comm, KTask.Kind.KTHREAD, false, ftrace, null);
        start(t, () -> {
            while (!t.stopping) {
                ftrace.safePoint(t);
                if (t.stopping) {
                    break;
                }
                body.run();
            }
        });
        return t;
    }

    /** Starts the idle task (once). */
    synchronized void startIdle() {
        if (idle != null) {
            return;
        }
        TaskImpl t = new TaskImpl(0, "swapper/0", KTask.Kind.IDLE, false, ftrace, null);
        idle = t;
        start(t, () -> {
            while (!t.stopping) {
                ftrace.safePoint(t);
                synchronized (t) {
                    // Idle between passes: nothing at all is on its stack, which is as reliable as it gets.
                    t.entryEpoch = Long.MAX_VALUE;
                    t.blocked = true;
                }
                LockSupport.parkNanos(idleNanos);
                t.blocked = false;
            }
        });
    }

    /** wake_up_if_idle: the idle loop runs a pass now. */
    void kickIdle() {
        TaskImpl t = idle;
        if (t != null && t.thread != null) {
            LockSupport.unpark(t.thread);
        }
    }

    private void start(TaskImpl t, Runnable run) {
        int state = ftrace.boundary == null ? TaskImpl.UNDEFINED : ftrace.boundary.newTaskState();
        t.patchState = state;
        Thread th = new Thread(
                () -> {
                    ftrace.bind(t);
                    try {
                        run.run();
                    } finally {
                        exit(t);
                    }
                },
                t.comm);
        th.setDaemon(true);
        t.thread = th;
        byPid.put(t.pid, t);
        ftrace.tasks.add(t);
        th.start();
    }

    private void exit(TaskImpl t) {
        ftrace.tasks.remove(t);
        byPid.remove(t.pid, t);
        t.exited();
        MmService m = mm;
        if (m != null && t.kind() == KTask.Kind.USER && t.mm != null) {
            try {
                m.exit(t.pid);
            } catch (RuntimeException e) {
                // mm went away first
            }
        }
    }

    void stopAll() {
        for (TaskImpl t : List.copyOf(byPid.values())) {
            t.stop();
        }
        synchronized (this) {
            idle = null;
        }
    }

    @Override
    public KTask task(int pid) {
        return byPid.get(pid);
    }

    @Override
    public List<KTask> tasks() {
        List<KTask> out = new ArrayList<>(byPid.values());
        out.sort(Comparator.comparingInt(KTask::pid));
        return out;
    }

    @Override
    public KTask current() {
        return ftrace.current();
    }
}
