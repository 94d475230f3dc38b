package org.kmodel.module.internal;

import org.kmodel.trace.Tracepoint;
import org.kmodel.trace.TracepointRegistry;

/**
 * The {@code module:module_get} and {@code module:module_put} tracepoints (include/trace/events/module.h,
 * fired by {@code try_module_get}/{@code __module_get} and {@code module_put} in kernel/module/main.c).
 * Looked up once when the registry binds; callers test {@link #getOn()}/{@link #putOn()} before they compute
 * the refcount, so the disabled path builds nothing.
 *
 * <p>{@code refcnt} is what the event reads, {@code atomic_read(&mod->refcnt)}: the count including
 * {@code MODULE_REF_BASE}, i.e. {@code module_refcount() + 1} (3.19+; 3.14-3.18 printed a per-CPU sum the
 * model does not reproduce).
 */
final class ModuleRefTrace {
    static final ModuleRefTrace NONE = new ModuleRefTrace(null, null);
    /** {@code MODULE_REF_BASE}. */
    static final int REF_BASE = 1;

    private final Tracepoint get;
    private final Tracepoint put;

    private ModuleRefTrace(Tracepoint get, Tracepoint put) {
        this.get = get;
        this.put = put;
    }

    static ModuleRefTrace of(TracepointRegistry registry) {
        if (registry == null) {
            return NONE;
        }
        Tracepoint g = registry.find("module", "module_get");
        Tracepoint p = registry.find("module", "module_put");
        return g == null && p == null ? NONE : new ModuleRefTrace(g, p);
    }

    boolean getOn() {
        return get != null && get.enabled();
    }

    boolean putOn() {
        return put != null && put.enabled();
    }

    /** After the count went up. */
    void get(LoadedModule m, String callSite) {
        if (getOn()) {
            get.fire(m.name(), callSite, m.refcount() + REF_BASE);
        }
    }

    /** After the count went down. */
    void put(LoadedModule m, String callSite) {
        if (putOn()) {
            put.fire(m.name(), callSite, m.refcount() + REF_BASE);
        }
    }
}
