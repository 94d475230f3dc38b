package org.kmodel.livepatch.internal;

import java.util.Set;

/**
 * The patchable vmlinux functions of the model (the part of kallsyms a patch may name). A name here may not
 * have a site yet (its class is not loaded until first use); a patch on it takes effect when it appears.
 */
final class Kallsyms {
    static final Set<String> VMLINUX = Set.of(
            "vfs_fallocate", // fs/open.c
            "shmem_fallocate", // mm/shmem.c
            "ext4_fallocate", // fs/ext4/extents.c
            "ext4_collapse_range", // fs/ext4/extents.c
            "xfs_file_fallocate", // fs/xfs/xfs_file.c
            "xfs_collapse_file_space", // fs/xfs/xfs_bmap_util.c
            "find_vma", // mm/mmap.c
            "cmdline_proc_show", // fs/proc/cmdline.c
            "proc_taint", // kernel/sysctl.c
            "module_sig_check"); // kernel/module/signing.c (3.x: kernel/module.c)

    private Kallsyms() {}
}
