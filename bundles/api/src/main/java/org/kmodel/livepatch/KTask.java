package org.kmodel.livepatch;

import java.util.List;
import java.util.function.Supplier;
import org.kmodel.mm.Task;
import org.osgi.annotation.versioning.ProviderType;

/** A task of {@link KernelTasks}: {@code struct task_struct} with its kernel stack and live patching state. */
@ProviderType
public interface KTask extends Task {
    enum Kind {
        USER,
        KTHREAD,
        IDLE
    }

    Kind kind();

    /**
     * A system call made by this task (only from its own thread): kernel entry, {@code body}, return to
     * user space. Live patching switches tasks at these boundaries.
     */
    <T> T syscall(String name, Supplier<T> body);

    /** True once {@link #stop()} was called: a program should return. */
    boolean stopping();

    /** Sleeps (interruptibly) in the kernel, as a kernel thread between works or a syscall waiting. */
    void sleep(long millis);

    /**
     * Arms a parking point: the next time the task enters {@code function} it blocks there (in
     * {@code TASK_UNINTERRUPTIBLE}, or {@code TASK_INTERRUPTIBLE} so a fake signal ends the wait) until
     * {@link #wake()}.
     */
    void parkIn(String function, boolean interruptible);

    /** True while the task is blocked at its parking point. */
    boolean parked();

    /** Waits until the task is parked; false on timeout. */
    boolean awaitParked(long millis) throws InterruptedException;

    /** Releases the parking point (and disarms it). */
    void wake();

    /** The patchable functions the task is inside, innermost first (what /proc/PID/stack lists). */
    List<String> stack();

    /** True between system call entry and exit (always for kernel threads and idle). */
    boolean inKernel();

    /** {@code /proc/PID/patch_state}: -1 (no transition), 0 (unpatched) or 1 (patched). */
    int patchState();

    /** Stops the task (kthread_stop, or a kill for a user task) and waits until it exited. */
    void stop();

    boolean alive();
}
