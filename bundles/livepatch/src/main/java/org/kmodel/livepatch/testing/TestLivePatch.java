package org.kmodel.livepatch.testing;

import java.util.Set;
import org.kmodel.kernel.KernelLog;
import org.kmodel.livepatch.KTask;
import org.kmodel.livepatch.KernelTasks;
import org.kmodel.livepatch.LivePatching;
import org.kmodel.livepatch.internal.StandaloneLivePatch;

/**
 * The livepatch bundle's core, engines and tasks for a test or benchmark that runs without OSGi. Every patch is
 * taken for a live-patch module, no other module is loaded. While one is open it owns the patchable functions
 * ({@code KernelFunction}, which are global); {@link #close} returns them to their original code.
 */
public final class TestLivePatch implements AutoCloseable {
    private final StandaloneLivePatch kernel;

    private TestLivePatch(StandaloneLivePatch kernel) {
        this.kernel = kernel;
    }

    /**
     * A kernel whose vmlinux holds {@code kallsyms}, with the consistency-model engine {@code engine} ({@code
     * livepatch}, {@code kgraft} or {@code kpatch}); an incomplete transition is tried again every
     * {@code retryMillis}.
     */
    public static TestLivePatch boot(KernelLog log, Set<String> kallsyms, String engine, long retryMillis) {
        return new TestLivePatch(new StandaloneLivePatch(log, kallsyms, engine, retryMillis));
    }

    /** The bundle's {@link LivePatching} service. */
    public LivePatching livePatching() {
        return kernel.livePatching();
    }

    /** The bundle's {@link KernelTasks} service. */
    public KernelTasks tasks() {
        return kernel.tasks();
    }

    /**
     * Makes the calling thread the task {@code pid}: a user task inside a system call, so a patchable function it
     * calls runs through the dispatcher as from any task (already switched when a transition is in progress).
     */
    public KTask bindCurrentThread(int pid, String comm) {
        return kernel.bindCurrentThread(pid, comm);
    }

    /** Stops every task, closes the core and returns the patchable functions to their original code. */
    @Override
    public void close() {
        kernel.close();
    }
}
