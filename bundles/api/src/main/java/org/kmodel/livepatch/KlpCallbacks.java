package org.kmodel.livepatch;

/**
 * {@code struct klp_callbacks} (Documentation/livepatch/callbacks.rst): run per object, for vmlinux when the
 * patch is enabled or disabled and for a module when it comes or goes while patched. A pre-patch callback
 * returning non-zero (a negative errno) aborts the patching of that object; the other three cannot fail.
 */
public interface KlpCallbacks {
    KlpCallbacks NONE = new KlpCallbacks() {};

    /** Before the object's functions are redirected; non-zero aborts. */
    default int prePatch(String object) {
        return 0;
    }

    /** After the transition to the patched state completed. */
    default void postPatch(String object) {}

    /** Before the transition back to the unpatched state starts. */
    default void preUnpatch(String object) {}

    /** After every task runs the unpatched code again. */
    default void postUnpatch(String object) {}
}
