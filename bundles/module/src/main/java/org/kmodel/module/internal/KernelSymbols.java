package org.kmodel.module.internal;

import java.util.Map;

/**
 * A few symbols the kernel image itself exports, with their export kind, so modules can use them
 * (kernel/module/main.c {@code find_symbol} over {@code __start___ksymtab} and
 * {@code __start___ksymtab_gpl}). Which of them is GPL-only follows the kernel source: printk and the
 * allocator are {@code EXPORT_SYMBOL}; tracepoint, debugfs and sysfs helpers are {@code EXPORT_SYMBOL_GPL}.
 */
final class KernelSymbols {
    /** Symbol → true if GPL-only. */
    static final Map<String, Boolean> EXPORTS = Map.ofEntries(
            Map.entry("printk", false), // kernel/printk/printk.c
            Map.entry("__kmalloc", false), // mm/slub.c
            Map.entry("kfree", false), // mm/slub.c
            Map.entry("register_chrdev_region", false), // fs/char_dev.c
            Map.entry("misc_register", false), // drivers/char/misc.c
            Map.entry("request_firmware", true), // drivers/base/firmware_class.c
            Map.entry("tracepoint_probe_register", true), // kernel/tracepoint.c
            Map.entry("debugfs_create_file", true), // fs/debugfs/inode.c
            Map.entry("sysfs_create_file_ns", true), // fs/sysfs/file.c
            Map.entry("klp_enable_patch", true)); // kernel/livepatch/core.c

    private KernelSymbols() {}
}
