package org.kmodel.livepatch;

import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Tasks that live in the kernel (kernel/fork.c, kernel/kthread.c, kernel/sched/idle.c): user tasks whose
 * program makes system calls, kernel threads looping between safe points, and the idle task. Each runs on
 * its own Java thread and has a kernel stack of the patchable functions it is inside. Pids come from the mm
 * subsystem when it runs (so the tasks show in {@code ps} and have an address space), else from a counter.
 */
@ProviderType
public interface KernelTasks {
    /**
     * A user task running {@code program} on its own thread (its user space); the program makes system
     * calls with {@link KTask#syscall} until {@link KTask#stopping()}.
     */
    KTask spawn(String comm, Consumer<KTask> program);

    /**
     * A kernel thread ({@code kthread_run}): {@code body} runs in a loop, with a safe point between two
     * runs, until the thread is stopped. The body may sleep ({@link KTask#sleep}).
     */
    KTask kthread(String comm, Runnable body);

    /** The task with this pid, or null. */
    KTask task(int pid);

    /** Every live task (the idle task included), by pid. */
    List<KTask> tasks();

    /** {@code current}: the calling thread's task, or null on a thread that is no task. */
    KTask current();
}
