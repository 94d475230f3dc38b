/**
 * Memory management (include/linux/mm.h, mm_types.h, sched.h): address spaces, VMAs, tasks, the
 * {@code find_vma} cache designs (SPI), the find_vma probe hook for tracepoints, and the workload runner
 * that reproduces LWN's VMA-caching table.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.kmodel.mm;
