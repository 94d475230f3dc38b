package org.kmodel.trace;

import org.osgi.annotation.versioning.ProviderType;

/** The tracepoint registry (kernel/tracepoint.c). */
@ProviderType
public interface TracepointRegistry {
    /**
     * The tracepoint {@code system:name}, or {@code null} if it does not exist, for example because
     * its module's taints kept it from being created (kernel/tracepoint.c
     * {@code tracepoint_module_coming}).
     */
    Tracepoint find(String system, String name);
}
