package org.kmodel.trace;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One tracepoint ({@code struct tracepoint}): {@code system:name} with a typed field list.
 * A call site guards with {@link #enabled()} or calls {@link #fire(Object...)} directly; when no probe
 * is attached both cost about nothing (the implementation folds the switch, like a static key).
 */
@ProviderType
public interface Tracepoint {
    String system();

    String name();

    /** True while at least one probe is attached. */
    boolean enabled();

    /**
     * Emits one event with the field values in declaration order; a no-op when disabled. The array is
     * handed to the probes and may be kept in the trace buffer: do not change it afterwards. With the
     * tracepoint in a {@code static final} field the disabled call folds away; held in an instance field,
     * guard with {@code if (tp.enabled())} so the varargs array and boxes are not built on the disabled path.
     */
    void fire(Object... fields);
}
