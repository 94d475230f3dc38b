package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.trace.TraceEventDefinition;

class RingBufferTest {
    private final TracepointSite site =
            new TracepointState(new TraceEventType(TraceEventDefinition.of("s", "e"), 1), new TraceRcu()).site();

    private List<Long> seqs(RingBuffer b) {
        List<TraceEntry> out = new ArrayList<>();
        b.peek(out);
        return out.stream().map(TraceEntry::seq).toList();
    }

    @Test
    void overwriteModeKeepsTheNewestAndCountsOverruns() {
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 4);
        for (int i = 0; i < 6; i++) {
            b.write(i, site, new Object[0], true);
        }
        assertEquals(List.of(2L, 3L, 4L, 5L), seqs(b));
        assertEquals(2, b.overrun());
        assertEquals(6, b.written());
        assertEquals(4, b.entries());
    }

    @Test
    void overrunsCountEveryEntryOverwrittenBeforeAConsumerTookIt() {
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 4);
        for (int i = 0; i < 6; i++) {
            b.write(i, site, new Object[0], true);
        }
        List<TraceEntry> got = new ArrayList<>();
        assertEquals(1, b.consume(got, 1));
        assertEquals(2L, got.get(0).seq(), "the oldest entry left");
        assertEquals(2, b.overrun(), "the two overwritten ones, passed by the consumer");
        for (int i = 6; i < 9; i++) {
            b.write(i, site, new Object[0], true); // the 7th and 8th overwrite unconsumed entries 3 and 4
        }
        assertEquals(4, b.overrun());
        assertEquals(List.of(5L, 6L, 7L, 8L), seqs(b));
        b.clear();
        assertEquals(0, b.overrun(), "clear starts the count again (ring_buffer_reset)");
    }

    @Test
    void eachEventKeepsTheTaskThatWroteItAndOldCommsAgeOut() {
        Thread me = Thread.currentThread();
        String name = me.getName();
        try {
            RingBuffer b = new RingBuffer(0, me, 512);
            me.setName("pipe-xfs_io -f -c falloc 0 64k /tmp/f");
            b.write(1, site, new Object[0], true);
            b.write(2, site, new Object[0], true);
            me.setName("pipe-cat /sys/kernel/tracing/trace");
            b.write(3, site, new Object[0], true);
            List<TraceEntry> out = new ArrayList<>();
            b.peek(out);
            List<RingBuffer.Task> tasks = out.stream().map(b::task).toList();
            assertEquals("xfs_io", tasks.get(0).comm(), "the command that wrote it, not the one reading");
            assertEquals(tasks.get(0), tasks.get(1));
            assertEquals("cat", tasks.get(2).comm());
            assertEquals(b.pid(), tasks.get(0).pid(), "the buffer's first task has the buffer's pid");
            assertEquals(true, tasks.get(2).pid() != tasks.get(0).pid(), "a new command is a new task");
            for (int k = 0; k < RingBuffer.SAVED_CMDLINES; k++) {
                me.setName("pipe-cmd" + k);
                b.write(10 + k, site, new Object[0], true);
            }
            assertEquals(
                    new RingBuffer.Task(tasks.get(0).pid(), "<...>"),
                    b.task(out.get(0)),
                    "saved_cmdlines keeps the last 128 comms: an older pid prints <...>");
        } finally {
            me.setName(name);
        }
    }

    @Test
    void stopModeDropsNewEventsWhenFull() {
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 4);
        for (int i = 0; i < 6; i++) {
            b.write(i, site, new Object[0], false);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), seqs(b));
        assertEquals(2, b.dropped());
        List<TraceEntry> got = new ArrayList<>();
        assertEquals(2, b.consume(got, 2));
        b.write(9, site, new Object[0], false);
        assertEquals(List.of(2L, 3L, 4L), seqs(b), "room again after consuming");
    }

    @Test
    void reusedSlotsHoldTheNewestEventWithItsOwnFields() {
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 2);
        b.write(10, site, new Object[] {1, "a"}, true);
        b.write(11, site, new Object[] {7L}, true);
        b.write(12, site, new Object[] {1, 2, 3, 4, 5}, true); // reuses slot 0 with another count
        List<TraceEntry> out = new ArrayList<>();
        b.peek(out);
        assertEquals(2, out.size());
        assertEquals(List.of(7L), List.of(out.get(0).fields()));
        assertEquals(11L, out.get(0).timestamp());
        assertEquals(List.of(1, 2, 3, 4, 5), List.of(out.get(1).fields()));
        assertEquals(2L, out.get(1).seq());
    }

    @Test
    void aReusedEntryTakesItsNewSiteAndFieldKindsWhateverTheOldOnesWere() {
        TracepointSite other =
                new TracepointState(new TraceEventType(TraceEventDefinition.of("s", "f"), 2), new TraceRcu()).site();
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 1); // one entry: every write reuses it
        Object[][] events = {{"a", 1}, {2, "b"}, {"c"}, {null, 3L, "d", 4, 5, 6, "g", 8L}, {9}, {"a", "a"}};
        TracepointSite[] sites = {site, other, other, site, site, other};
        for (int k = 0; k < events.length; k++) {
            b.write(100 + k, sites[k], events[k], true);
            List<TraceEntry> out = new ArrayList<>();
            b.peek(out);
            assertEquals(1, out.size());
            assertEquals(sites[k], out.get(0).site(), "event " + k);
            assertEquals(
                    java.util.Arrays.asList(events[k]),
                    java.util.Arrays.asList(out.get(0).fields()),
                    "event " + k);
            assertEquals(100L + k, out.get(0).timestamp());
        }
        b.write(200, null, new Object[] {"fn"}, true); // the function tracer records without a site
        List<TraceEntry> out = new ArrayList<>();
        b.peek(out);
        assertEquals(null, out.get(0).site());
        assertEquals(List.of("fn"), List.of(out.get(0).fields()));
    }

    @Test
    void aRemovedTracepointsEntriesAreNeverReadBackAndAConsumerPassesThem() {
        TracepointState going =
                new TracepointState(new TraceEventType(TraceEventDefinition.of("m", "g"), 3), new TraceRcu());
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 8);
        b.write(1, going.site(), new Object[] {1}, true);
        b.write(2, site, new Object[] {2}, true);
        b.write(3, going.site(), new Object[] {3}, true);
        assertEquals(List.of(0L, 1L, 2L), seqs(b), "still live: every entry");
        going.removeAll(); // what TracepointCore.remove does before the module's buffers are cleared
        assertEquals(List.of(1L), seqs(b));
        List<TraceEntry> got = new ArrayList<>();
        assertEquals(0, b.consume(got, 0), "taking nothing");
        assertEquals(
                2,
                b.entries(),
                "a consumer that takes nothing passes the removed entry in front (trace_pipe does not spin on it)");
        assertEquals(List.of(1L), seqs(b));
        assertEquals(1, b.consume(got, 1));
        assertEquals(List.of(1L), got.stream().map(TraceEntry::seq).toList());
        assertEquals(false, b.hasEntries(), "and the one behind the entry it took");
    }

    @Test
    void clearForgetsEverything() {
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 8);
        b.write(1, site, new Object[0], true);
        b.clear();
        assertEquals(List.of(), seqs(b));
        assertEquals(0, b.written());
    }

    @Test
    void concurrentReaderNeverSeesAnOverwrittenSlotOutOfOrder() throws Exception {
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 16);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 200_000; i++) {
                b.write(i, site, new Object[0], true);
            }
        });
        // the writer thread is not the owner here, but it is the only writer, which is what matters
        writer.start();
        while (writer.isAlive()) {
            List<Long> s = seqs(b);
            for (int i = 1; i < s.size(); i++) {
                assertEquals(s.get(i - 1) + 1, s.get(i), "entries are consecutive: " + s);
            }
        }
        writer.join();
    }

    @Test
    void valuesKeepTheirTypesThroughTheUnboxedSlots() {
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 2);
        Object[] in = {-5, 1L << 40, (short) 3, "s", null, Integer.MIN_VALUE, Long.MAX_VALUE, 'c', true};
        b.write(1, site, in, true);
        b.write(2, site, new Object[] {"x"}, true);
        b.write(3, site, new Object[] {7, 8}, true); // reuses slot 0: the String and null are gone
        List<TraceEntry> out = new ArrayList<>();
        b.peek(out);
        assertEquals(List.of("x"), List.of(out.get(0).fields()));
        assertEquals(List.of(7, 8), List.of(out.get(1).fields()));
        RingBuffer c = new RingBuffer(0, Thread.currentThread(), 2);
        c.write(1, site, in, true);
        out.clear();
        c.peek(out);
        Object[] got = out.get(0).fields();
        assertEquals(java.util.Arrays.asList(in), java.util.Arrays.asList(got));
        for (int i = 0; i < in.length; i++) {
            assertEquals(
                    in[i] == null ? null : in[i].getClass(), got[i] == null ? null : got[i].getClass(), "field " + i);
        }
    }

    @Test
    void concurrentReaderNeverSeesATornEntry() throws Exception {
        RingBuffer b = new RingBuffer(0, Thread.currentThread(), 8);
        String[] names = {"a", "bb", "ccc"};
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 300_000; i++) {
                // every value derives from the position, and the field count varies, so a slot copied while
                // it was rewritten would show a mix
                Object[] f = i % 2 == 0 ? new Object[] {i, (long) i * 3, names[i % 3]} : new Object[] {i};
                b.write(i * 10L, site, f, true);
            }
        });
        writer.start();
        List<TraceEntry> out = new ArrayList<>();
        while (writer.isAlive()) {
            out.clear();
            b.peek(out);
            for (TraceEntry e : out) {
                int p = (int) e.seq();
                assertEquals(p * 10L, e.timestamp());
                Object[] want = p % 2 == 0 ? new Object[] {p, (long) p * 3, names[p % 3]} : new Object[] {p};
                assertEquals(List.of(want), List.of(e.fields()), "entry " + p);
            }
        }
        writer.join();
    }
}
