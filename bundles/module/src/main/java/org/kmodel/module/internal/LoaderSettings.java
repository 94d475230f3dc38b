package org.kmodel.module.internal;

import java.util.Set;

/**
 * The loader's build options and switches (docs/modules.md#loading-the-kernels-order-of-checks). kmodel defaults follow a
 * distribution kernel of 2014 (Ubuntu, Fedora): signatures checked but not enforced, forced load and
 * forced unload allowed; mainline Kconfig defaults {@code MODULE_FORCE_LOAD=n} and
 * {@code MODULE_FORCE_UNLOAD=n} would make every {@code insmod -f} fail with ENOEXEC.
 */
final class LoaderSettings {
    /** {@code CONFIG_MODULE_SIG}. */
    volatile boolean moduleSig = true;
    /** {@code CONFIG_MODULE_SIG_FORCE} or {@code module.sig_enforce=1}; may go 0 → 1 at runtime only. */
    volatile boolean sigEnforce;
    /** {@code CONFIG_MODULE_FORCE_LOAD}. */
    volatile boolean forceLoad = true;
    /** {@code CONFIG_MODULE_FORCE_UNLOAD}. */
    volatile boolean forceUnload = true;
    /** sysctl {@code kernel.modules_disabled}, 0 → 1 only. */
    volatile boolean modulesDisabled;
    /** Boot parameter {@code module_blacklist=a,b}. */
    volatile Set<String> blacklist = Set.of();
}
