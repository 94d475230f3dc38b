/**
 * Loadable kernel modules (include/linux/module.h): the module as other subsystems see it, and the
 * module notifier chain (kernel/module/main.c {@code blocking_notifier_call_chain(&module_notify_list)}).
 * The module bundle owns the loader and its own services; this package carries only what other
 * subsystems (tracing, livepatch) need.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.kmodel.module;
