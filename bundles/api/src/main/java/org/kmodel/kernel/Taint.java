package org.kmodel.kernel;

import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The global taint state (kernel/panic.c {@code tainted_mask}, {@code add_taint}, {@code print_tainted}).
 * The mask only grows: no operation clears a bit until reboot (a restart of the framework). Only flags that
 * exist in the running release profile can be set.
 *
 * <p>Typical use by a subsystem: {@code taint.add(TaintFlag.UNSIGNED_MODULE)} when a module loads without a
 * valid signature; the module loader keeps the module's own bits itself and formats them with
 * {@link #moduleFlags(long, boolean, boolean)}.
 */
@ProviderType
public interface Taint {
    /** The mask as {@code /proc/sys/kernel/tainted} shows it, e.g. 4609 for P, W and O. */
    long mask();

    /** Whether the flag is set. */
    boolean isSet(TaintFlag flag);

    /** The set flags in bit order. */
    Set<TaintFlag> flags();

    /**
     * {@code add_taint(flag, ...)}: sets the flag; a no-op if it is already set.
     *
     * @throws KernelException EINVAL if the flag does not exist in the running release
     */
    void add(TaintFlag flag);

    /**
     * A write to {@code /proc/sys/kernel/tainted} ({@code proc_taint}): every set bit below
     * {@code TAINT_FLAGS_COUNT} is OR-ed in, higher bits are ignored, nothing is ever cleared.
     */
    void addMask(long mask);

    /**
     * {@code print_tainted()}: {@code "Not tainted"} for 0, else {@code "Tainted: "} and exactly
     * {@code TAINT_FLAGS_COUNT} characters in bit order (the letter if set, else {@code G} for bit 0 and a
     * space for the others; trailing spaces are kept).
     */
    String tainted();

    /**
     * tools/debugging/kernel-chktaint's report for any mask, decoded with the running release's table: one
     * line per set flag and the raw value as int and string.
     */
    java.util.List<String> chktaint(long mask);

    /**
     * {@code module_flags()}: the letters of a module's own taint mask as {@code /proc/modules} shows them in
     * the running release, with {@code +} if the module is coming and {@code -} if going, in parentheses;
     * the empty string if there is nothing to show.
     */
    String moduleFlags(long moduleMask, boolean coming, boolean going);
}
