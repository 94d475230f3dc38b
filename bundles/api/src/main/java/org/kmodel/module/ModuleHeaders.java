package org.kmodel.module;

/**
 * The manifest headers that are a module's {@code .modinfo} section. A bundle jar carrying them is a
 * kernel module; the module loader is the only way it becomes one.
 */
public final class ModuleHeaders {
    /** {@code MODULE_NAME}; default: the Bundle-SymbolicName with '.' and '-' turned into '_'. */
    public static final String NAME = "Kmodel-Module-Name";
    /** {@code MODULE_LICENSE}: one of the six GPL-compatible strings avoids taint P. */
    public static final String LICENSE = "Kmodel-License";
    /** {@code vermagic=}: must equal the running kernel's, e.g. {@code "3.15.0-kmodel SMP mod_unload"}. */
    public static final String VERMAGIC = "Kmodel-Vermagic";
    /** {@code intree=Y}, added by kbuild to in-tree modules; without it the module taints O. */
    public static final String INTREE = "Kmodel-Intree";
    /** {@code staging=Y}: taints C. */
    public static final String STAGING = "Kmodel-Staging";
    /** {@code livepatch=Y}: taints K (4.0+). */
    public static final String LIVEPATCH = "Kmodel-Livepatch";
    /** {@code test=Y}: taints N (6.0+). */
    public static final String TEST = "Kmodel-Test";
    /** {@code depends=}: modules this one needs, comma-separated (modpost writes it from the symbols). */
    public static final String DEPENDS = "Kmodel-Depends";

    public static final String DESCRIPTION = "Kmodel-Description";
    public static final String AUTHOR = "Kmodel-Author";
    public static final String VERSION = "Kmodel-Version";
    /** {@code MODULE_PARM_DESC}: {@code name:type:description, ...}; type int, uint, long, bool or charp. */
    public static final String PARM = "Kmodel-Parm";
    /** {@code EXPORT_SYMBOL}: symbols this module exports to everyone. */
    public static final String EXPORT_SYMBOL = "Kmodel-Export-Symbol";
    /** {@code EXPORT_SYMBOL_GPL}: symbols only GPL-compatible modules may use. */
    public static final String EXPORT_SYMBOL_GPL = "Kmodel-Export-Symbol-Gpl";
    /** The undefined symbols the module needs (its {@code __ksymtab} imports). */
    public static final String IMPORT_SYMBOL = "Kmodel-Import-Symbol";
    /** The module's tracepoints, see {@link KernelModule#tracepoints()}. */
    public static final String TRACEPOINTS = "Kmodel-Tracepoints";

    private ModuleHeaders() {}
}
