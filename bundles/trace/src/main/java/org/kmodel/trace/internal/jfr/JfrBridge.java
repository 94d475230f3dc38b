package org.kmodel.trace.internal.jfr;

import java.util.function.Function;

/**
 * Emits a trace event to JFR when a recording has {@code kmodel.Tracepoint} enabled. The check is JFR's own
 * {@code shouldCommit()}, so with no recording (or the event disabled in it) the cost is a scalar-replaced
 * object and a folded branch; the printk rendering happens only for events JFR will keep.
 */
public final class JfrBridge {
    /** True if this JVM has the jdk.jfr module (it can be left out of a jlinked runtime). */
    public static boolean available() {
        try {
            Class.forName("jdk.jfr.Event", false, JfrBridge.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public void emit(String system, String event, Object[] fields, Function<Object[], String> render) {
        TracepointEvent e = new TracepointEvent();
        if (e.shouldCommit()) {
            e.system = system;
            e.event = event;
            e.fields = render.apply(fields);
            e.commit();
        }
    }
}
