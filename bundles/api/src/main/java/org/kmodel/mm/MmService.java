package org.kmodel.mm;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running kernel's mm subsystem (one instance per framework), plus a factory for isolated instances that
 * workloads and experiments run on without disturbing it.
 */
@ProviderType
public interface MmService extends MmKernel {
    /**
     * A new, empty kernel instance (no tasks) using the registered design {@code design}; not visible in /proc.
     * EINVAL for an unknown design.
     */
    MmKernel newInstance(String design);

    /** The description line of a registered design. */
    String describe(String design);
}
