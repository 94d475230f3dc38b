package org.kmodel.module.internal;

/**
 * Where a module's code lives: the OSGi framework in production ({@link BundleModuleCode}), a fake in
 * unit tests. Each step is one state of {@code enum module_state} mapped onto the bundle lifecycle
 * (docs/modules.md#what-a-module-is-in-kmodel): install = UNFORMED, resolve + start = COMING → LIVE, stop + uninstall = GOING.
 */
interface ModuleCode {
    /** Installs the stripped image; returns the bundle id. Throws KernelException (ENOEXEC, EEXIST). */
    long install(String name, byte[] payload);

    /** Wires the module's imports; unresolvable imports are unknown symbols (ENOENT). */
    void resolve(long id);

    /** The module's {@code init()}: starts the bundle. Throws KernelException with init's errno. */
    void start(long id);

    /** The module's {@code exit()}: stops the bundle; never fails. */
    void stop(long id);

    /** Frees the module; never fails. */
    void uninstall(long id);
}
