package org.kmodel.mm;

import org.osgi.annotation.versioning.ProviderType;

/** A task ({@code struct task_struct}, include/linux/sched.h): a process or thread, as {@code ps} lists it. */
@ProviderType
public interface Task {
    /** The task id ({@code tid}, what the kernel calls pid). */
    int pid();

    /** The thread group id (what user space calls the pid). */
    int tgid();

    /** The parent's tgid. */
    int ppid();

    String comm();

    /** The mm it uses; null for a kernel thread or after exit. */
    AddressSpace mm();

    /** PF_KTHREAD: a kernel thread (may adopt an mm with use_mm, but never uses the VMA cache). */
    boolean kthread();
}
