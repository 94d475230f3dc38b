package org.kmodel.trace.internal;

import java.util.ArrayList;
import java.util.List;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;

/**
 * The tracepoints built into the model's "vmlinux", defined when the registry starts (the kernel's
 * {@code TRACE_EVENT}s under include/trace/events/). Subsystems find them with
 * {@code TracepointRegistry.find(system, name)} and fire them with the fields in the order given here.
 * Where the kernel prints a value the model does not have as a number (a device as {@code MAJOR,MINOR},
 * a taint mask through {@code show_module_flags}, a caller address through {@code %pf}), the field is
 * a string that the caller formats.
 * <p>
 * Each release gets only the events its kernel had: {@code ext4_collapse_range} and
 * {@code xfs_collapse_file_space} came with FALLOC_FL_COLLAPSE_RANGE in 3.15. Events the kernel never had
 * (the VFS's fallocate entry and exit, find_vma's cache hit and miss) live under the system
 * {@value #MODEL_SYSTEM}, so a trace never shows a model-only event under a kernel subsystem's name.
 */
final class KernelTracepoints {
    private KernelTracepoints() {}

    /** The trace system of the events that exist only in the model. */
    static final String MODEL_SYSTEM = "kmodel";

    /** The events of {@code release}'s vmlinux, plus the model's own. */
    static List<TraceEventDefinition> all(KernelRelease release) {
        List<TraceEventDefinition> out = new ArrayList<>();
        for (TraceEventDefinition d : all()) {
            if (release.atLeast(3, 15)
                    || !d.name().endsWith("collapse_range") && !d.name().endsWith("collapse_file_space")) {
                out.add(d);
            }
        }
        return out;
    }

    /** Every event any release has (the newest set). */
    static List<TraceEventDefinition> all() {
        return List.of(
                // include/trace/events/module.h
                def("module", "module_load", "%s %s", f("string", "name"), f("string", "taints")),
                def("module", "module_free", "%s", f("string", "name")),
                def(
                        "module",
                        "module_get",
                        "%s call_site=%pf refcnt=%d",
                        f("string", "name"),
                        f("string", "call_site"),
                        f("int", "refcnt")),
                def(
                        "module",
                        "module_put",
                        "%s call_site=%pf refcnt=%d",
                        f("string", "name"),
                        f("string", "call_site"),
                        f("int", "refcnt")),
                // mm/vmacache.c has only vmstat counters (VMACACHE_FIND_CALLS/HITS); these two are the model's
                // (system "kmodel"), fed by the mm's FindVmaProbe hook (MmFindVmaTrace): the cache design's hit or
                // miss, and
                // the VMA find_vma returned (0-0 for none)
                findVma("find_vma_hit"),
                findVma("find_vma_miss"),
                // include/trace/events/ext4.h (3.15; ext4_collapse_range only from 3.15, with the mode)
                def(
                        "ext4",
                        "ext4_fallocate_enter",
                        "dev %s ino %lu offset %lld len %lld mode %s",
                        f("string", "dev"),
                        f("ino_t", "ino"),
                        f("loff_t", "offset"),
                        f("loff_t", "len"),
                        f("string", "mode")),
                def(
                        "ext4",
                        "ext4_fallocate_exit",
                        "dev %s ino %lu pos %lld blocks %u ret %d",
                        f("string", "dev"),
                        f("ino_t", "ino"),
                        f("loff_t", "pos"),
                        f("unsigned int", "blocks"),
                        f("int", "ret")),
                def(
                        "ext4",
                        "ext4_collapse_range",
                        "dev %s ino %lu offset %lld len %lld",
                        f("string", "dev"),
                        f("ino_t", "ino"),
                        f("loff_t", "offset"),
                        f("loff_t", "len")),
                // fs/xfs/xfs_trace.h (3.15): inode events of the fallocate paths (collapse only from 3.15)
                xfsInode("xfs_alloc_file_space"),
                xfsInode("xfs_free_file_space"),
                xfsInode("xfs_zero_file_space"),
                xfsInode("xfs_collapse_file_space"),
                // the VFS has no fallocate tracepoints in the kernel; these are the model's, around vfs_fallocate()
                def(
                        MODEL_SYSTEM,
                        "vfs_fallocate_enter",
                        "dev %s ino %lu mode 0x%x offset %lld len %lld",
                        f("string", "dev"),
                        f("ino_t", "ino"),
                        f("int", "mode"),
                        f("loff_t", "offset"),
                        f("loff_t", "len")),
                def(
                        MODEL_SYSTEM,
                        "vfs_fallocate_exit",
                        "dev %s ino %lu mode 0x%x offset %lld len %lld ret %d",
                        f("string", "dev"),
                        f("ino_t", "ino"),
                        f("int", "mode"),
                        f("loff_t", "offset"),
                        f("loff_t", "len"),
                        f("int", "ret")));
    }

    private static TraceEventDefinition findVma(String name) {
        return def(
                MODEL_SYSTEM,
                name,
                "pid=%d addr=0x%lx vma=0x%lx-0x%lx cache=%s",
                f("int", "pid"),
                f("unsigned long", "addr"),
                f("unsigned long", "vm_start"),
                f("unsigned long", "vm_end"),
                f("string", "cache"));
    }

    private static TraceEventDefinition xfsInode(String name) {
        return def("xfs", name, "dev %s ino 0x%llx", f("string", "dev"), f("u64", "ino"));
    }

    private static TraceEventDefinition def(String system, String name, String format, TraceField... fields) {
        return new TraceEventDefinition(system, name, List.of(fields), format, null);
    }

    private static TraceField f(String type, String name) {
        return new TraceField(type, name);
    }
}
