package org.kmodel.livepatch.internal;

/**
 * A consistency model: when each task switches to the new code. The three are DS components of this bundle
 * ({@link LivepatchEngine}, {@link KpatchEngine}, {@link KgraftEngine}); the core picks one by release
 * profile or by name. An engine keeps no patch state of its own (that is the core's), so one can be swapped
 * for another whenever no patch is registered.
 */
interface Engine {
    /** Service property naming the engine. */
    String NAME = "kmodel.livepatch.engine";

    String name();

    /** Registers and switches to {@code p} (klp_enable_patch / kpatch_register / kgr_patch_kernel). */
    void enable(KlpCore core, PatchImpl p);

    /** Switches back to the code below {@code p}, then frees it. */
    void disable(KlpCore core, PatchImpl p);

    /** One pass over the tasks; true when the transition completed (the per-task models). */
    default boolean tryComplete(KlpCore core) {
        return true;
    }

    /** System call entry of a task (kGraft switches here). */
    default void entry(KlpCore core, TaskImpl t) {}

    /** Return to user space; called holding the task's monitor. */
    default void exit(KlpCore core, TaskImpl t) {}

    /** A kernel thread's safe point or the idle loop. */
    default void safePoint(KlpCore core, TaskImpl t) {}

    /** The period of the transition work (livepatch: round_jiffies_relative(HZ)). */
    default long periodMillis(KlpCore core) {
        return core.retryMillis;
    }

    /** {@code echo 1 > force}. */
    default void force(KlpCore core, PatchImpl p) {
        throw new org.kmodel.kernel.KernelException(org.kmodel.kernel.Errno.EINVAL, "force");
    }
}
