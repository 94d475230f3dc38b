package org.kmodel.module;

import java.util.List;

/**
 * One line of {@code /proc/modules} (kernel/module/procfs.c {@code m_show}) as data.
 *
 * @param name     module name
 * @param size     the module's size in bytes (its bundle image without the signature)
 * @param refcount {@code module_refcount()}: holders plus explicit gets
 * @param holders  modules that use this one ({@code source_list}), in load order
 * @param state    module state
 * @param taints   the module's own taint mask ({@code mod->taints})
 * @param flags    the letters of {@code module_flags()} without parentheses, e.g. {@code "OE"} or
 *                 {@code "OE+"} while COMING, empty when untainted and LIVE
 */
public record ModuleEntry(
        String name, long size, int refcount, List<String> holders, ModuleState state, long taints, String flags) {
    public ModuleEntry {
        holders = List.copyOf(holders);
    }
}
