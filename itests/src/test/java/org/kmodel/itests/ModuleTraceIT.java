package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;

import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * Issue 5 acceptance, end to end with the module loader and the unsigned out-of-tree sample module
 * ({@code kmodel_oot}, declaring {@code kmodel_sample:sample_event}): what each release does with the
 * module's tracepoints (modules.md §3.1). One subclass per release, one framework per test.
 */
public abstract class ModuleTraceIT extends TracefsTestSupport {
    static final String EVENT = "kmodel_sample:sample_event";
    static final String BAD_TAINT = "kmodel_oot: module has bad taint, not creating trace events";

    static Option[] release(String release) {
        return kernel(feature("module"), feature("trace"),
                systemProperty("kmodel.home").value(DIST.getAbsolutePath()),
                frameworkProperty("kmodel.release").value(release));
    }

    static String ko(String release, String rel) {
        return new File(DIST, "lib/modules/" + release + ".0-kmodel/" + rel).getAbsolutePath();
    }

    String events() throws Exception {
        return read("/sys/kernel/tracing/available_events");
    }

    /** Loads the sample, enables its event and module_load/free through tracefs, fires it twice. */
    String loadAndFire(String release, String insmodFlags) throws Exception {
        write("/sys/kernel/tracing/set_event", "module:*");
        gogo("insmod " + insmodFlags + ko(release, "extra/kmodel_oot.ko"));
        if (events().contains(EVENT)) {
            write("/sys/kernel/tracing/events/kmodel_sample/sample_event/enable", "1");
        }
        return gogo("kmodel_oot:fire hello") + "\n" + gogo("kmodel_oot:fire again");
    }

    void assertTraced(boolean traced) throws Exception {
        String trace = gogo("trace-cmd show");
        assertTrue(trace, trace.contains("module_load: kmodel_oot "));
        assertEquals(trace, traced, trace.contains("sample_event: count=1 msg=hello"));
        assertEquals(trace, traced, trace.contains("sample_event: count=1 msg=again"));
    }

    void assertUnloadRemovesEventsAndClearsBuffer() throws Exception {
        gogo("rmmod kmodel_oot");
        assertFalse(events().contains(EVENT));
        assertTrue(readFails("/sys/kernel/tracing/events/kmodel_sample/sample_event/enable")
                .endsWith("No such file or directory"));
        String trace = gogo("trace-cmd show");
        assertFalse("buffer cleared at GOING: " + trace, trace.contains("sample_event:"));
        assertTrue(trace, trace.contains("module_free: kmodel_oot"));
    }
}
