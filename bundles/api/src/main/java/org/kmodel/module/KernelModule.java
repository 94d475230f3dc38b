package org.kmodel.module;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** A loaded module, as other subsystems see it ({@code struct module}). */
@ProviderType
public interface KernelModule {
    /** The module name (from the bundle's {@code Kmodel-Module-Name}, else its symbolic name). */
    String name();

    /** The module's own taint bits ({@code mod->taints}), a mask over {@code TaintFlag} bits. */
    long taints();

    ModuleState state();

    /** The .modinfo fields (license, vermagic, intree, staging, depends, livepatch, description, ...). */
    Map<String, String> modinfo();

    /**
     * The tracepoints this module declares, as {@code "system:event"} names with an optional
     * field list, e.g. {@code "sample:sample_event(int value, String msg)"} (manifest header
     * {@code Kmodel-Tracepoints}, comma-separated at top level).
     */
    List<String> tracepoints();

    /** The OSGi bundle id of the module's bundle, or -1 while UNFORMED. */
    long bundleId();

    /** The parameters given at load time ({@code param=value}), in the order given. */
    default Map<String, String> parameters() {
        return Map.of();
    }

    /** Whether the appended signature verified ({@code mod->sig_ok}). */
    default boolean sigOk() {
        return false;
    }
}
