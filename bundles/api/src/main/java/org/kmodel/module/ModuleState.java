package org.kmodel.module;

/** {@code enum module_state} (include/linux/module.h). */
public enum ModuleState {
    /** Fully initialised and running. */
    LIVE,
    /** Being initialised: notifiers (tracepoints, jump labels) run here, before the module's init. */
    COMING,
    /** Going away. */
    GOING,
    /** Still being formed: the name is reserved, nothing else is visible. */
    UNFORMED
}
