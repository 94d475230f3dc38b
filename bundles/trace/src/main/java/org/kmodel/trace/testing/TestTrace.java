package org.kmodel.trace.testing;

import java.lang.annotation.Annotation;
import org.kmodel.kernel.KernelLog;
import org.kmodel.trace.TraceArray;
import org.kmodel.trace.TracepointManager;
import org.kmodel.trace.internal.TraceArrayImpl;
import org.kmodel.trace.internal.TracepointCore;

/** The trace bundle's services for a test or benchmark that runs without OSGi. */
public final class TestTrace {
    private TestTrace() {}

    /** A new, activated tracepoint core (the bundle's {@link TracepointManager} service). */
    public static TracepointManager tracepoints() {
        TracepointCore core = new TracepointCore();
        core.activate();
        return core;
    }

    /**
     * The global trace array (the bundle's {@link TraceArray} service) over {@code tracepoints}, which must come
     * from {@link #tracepoints()}: per-thread ring buffers of {@code bufferEntries} entries in overwrite mode,
     * the trace clock starting at {@code log}'s boot, no JFR bridge.
     */
    public static TraceArray traceArray(TracepointManager tracepoints, KernelLog log, int bufferEntries) {
        return new TraceArrayImpl(tracepoints, log, config(bufferEntries));
    }

    @SuppressWarnings("BadAnnotationImplementation") // a config stand-in, never compared or hashed
    private static TraceArrayImpl.Config config(int entries) {
        return new TraceArrayImpl.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TraceArrayImpl.Config.class;
            }

            @Override
            public int buffer_entries() {
                return entries;
            }

            @Override
            public boolean overwrite() {
                return true;
            }

            @Override
            public boolean jfr() {
                return false;
            }
        };
    }
}
