package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;
import org.kmodel.trace.Tracepoint;

class JfrBridgeTest {
    @TempDir
    Path dir;

    @Test
    void enabledTracepointsAlsoEmitJfrEventsOnlyWhileTheSwitchIsOn() throws Exception {
        TracepointCore core = new TracepointCore();
        core.activate();
        TraceArrayImpl array = new TraceArrayImpl(core, 64, true);
        Tracepoint tp =
                core.define(TraceEventDefinition.of("kmodel_sample", "sample_event", new TraceField("int", "count")));
        array.setEventEnabled("kmodel_sample", "sample_event", true);
        assertTrue(array.setJfr(true), "this JDK has jdk.jfr");
        Path file = dir.resolve("trace.jfr");
        try (Recording r = new Recording()) {
            r.enable("kmodel.Tracepoint");
            r.start();
            tp.fire(1);
            array.setJfr(false);
            tp.fire(2); // recorded in the trace buffer only
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("kmodel.Tracepoint"))
                .toList();
        assertEquals(1, events.size());
        assertEquals("kmodel_sample", events.get(0).getString("system"));
        assertEquals("sample_event", events.get(0).getString("event"));
        assertEquals("count=1", events.get(0).getString("fields"));
        assertEquals(2, array.snapshot().size());
        assertTrue(Files.size(file) > 0);
    }
}
