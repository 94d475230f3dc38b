package org.kmodel.trace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.trace.TraceEventDefinition;
import org.kmodel.trace.TraceField;
import org.kmodel.trace.TraceProbe;
import org.kmodel.trace.Tracepoint;

class TracepointCoreTest {
    private TracepointCore core;

    @BeforeEach
    void setUp() {
        core = new TracepointCore();
        core.activate();
    }

    @Test
    void kernelTracepointsExistFromBoot() {
        assertNotNull(core.find("module", "module_load"));
        assertNotNull(core.find("kmodel", "find_vma_miss"));
        assertNotNull(core.find("ext4", "ext4_fallocate_enter"));
        assertNull(core.find("kmodel_sample", "sample_event"));
    }

    @Test
    void eachReleaseHasOnlyItsKernelsEventsAndModelOnlyEventsAreUnderTheModelsSystem() {
        for (KernelRelease r : KernelRelease.values()) {
            TracepointCore c = new TracepointCore();
            c.profile = org.kmodel.testing.Fakes.release(r);
            c.activate();
            boolean collapse = r.atLeast(3, 15); // FALLOC_FL_COLLAPSE_RANGE arrived in 3.15
            assertEquals(collapse, c.find("ext4", "ext4_collapse_range") != null, r.version());
            assertEquals(collapse, c.find("xfs", "xfs_collapse_file_space") != null, r.version());
            assertNotNull(c.find("xfs", "xfs_free_file_space"), r.version());
            assertNotNull(c.find("kmodel", "vfs_fallocate_enter"), r.version());
            assertNull(c.find("vfs", "vfs_fallocate_enter"), "no kernel has a vfs trace system");
            assertNull(c.find("mm", "find_vma_hit"), "no kernel has mm:find_vma_*");
        }
    }

    @Test
    void disabledTracepointCallsNoProbeAndAttachSwitchesItOn() {
        Tracepoint tp = core.define(TraceEventDefinition.of("s", "e", new TraceField("int", "x")));
        assertFalse(tp.enabled());
        tp.fire(1); // no probe: nothing happens
        List<Object> seen = new ArrayList<>();
        TraceProbe p = (t, f) -> seen.add(f[0]);
        core.probeRegister("s", "e", p);
        assertTrue(tp.enabled());
        tp.fire(2);
        core.probeUnregister("s", "e", p);
        assertFalse(tp.enabled());
        tp.fire(3);
        assertEquals(List.of(2), seen);
    }

    @Test
    void everyProbeGetsTheFieldsAsFiredWhateverTheirCount() {
        TracepointState s =
                new TracepointState(new TraceEventType(TraceEventDefinition.of("s", "n"), 1), new TraceRcu());
        List<List<Object>> recorded = new ArrayList<>();
        List<List<Object>> probed = new ArrayList<>();
        s.addProbe(new BufferProbe() {
            @Override
            void record(
                    TracepointSite site,
                    int n,
                    Object a0,
                    Object a1,
                    Object a2,
                    Object a3,
                    Object a4,
                    Object a5,
                    Object[] all) {
                Object[] f = TracepointState.pack(n, a0, a1, a2, a3, a4, a5, all);
                assertEquals(n > TracepointState.ARGS, all != null, "the caller's array only past the inline fields");
                for (int j = n; j < TracepointState.ARGS; j++) {
                    assertNull(new Object[] {a0, a1, a2, a3, a4, a5}[j], "nothing past the count");
                }
                recorded.add(java.util.Arrays.asList(f));
            }
        });
        TraceProbe external = (t, f) -> probed.add(java.util.Arrays.asList(f.clone()));
        Object[][] events = {
            {}, {1}, {"a", 2L}, {1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 6, "seventh"}, {null, 2, null, 4, 5, 6, 7, 8, 9}
        };
        List<List<Object>> expected =
                java.util.Arrays.stream(events).map(java.util.Arrays::asList).toList();
        for (Object[] e : events) {
            s.site().fire(e); // the recorder alone: the dispatcher's one-recorder path
        }
        assertEquals(expected, recorded);
        recorded.clear();
        s.addProbe(external);
        for (Object[] e : events) {
            s.site().fire(e);
        }
        assertEquals(expected, recorded);
        assertEquals(expected, probed);
    }

    @Test
    void aFailingRecorderIsCountedAndNeverReachesTheTracedCode() {
        TracepointState s =
                new TracepointState(new TraceEventType(TraceEventDefinition.of("s", "f"), 1), new TraceRcu());
        s.addProbe(new BufferProbe() {
            @Override
            void record(
                    TracepointSite site,
                    int n,
                    Object a0,
                    Object a1,
                    Object a2,
                    Object a3,
                    Object a4,
                    Object a5,
                    Object[] all) {
                throw new IllegalArgumentException("too many fields: " + n);
            }
        });
        s.site().fire(1, 2);
        assertEquals(1, s.probeErrors());
    }

    @Test
    void recordersAloneRunOutsideTheReadSideSectionAndAnyOtherProbeInsideIt() {
        TraceRcu rcu = new TraceRcu();
        TracepointState s = new TracepointState(new TraceEventType(TraceEventDefinition.of("s", "r"), 1), rcu);
        List<String> calls = new ArrayList<>();
        BufferProbe recorder = new BufferProbe() {
            @Override
            void record(
                    TracepointSite site,
                    int n,
                    Object a0,
                    Object a1,
                    Object a2,
                    Object a3,
                    Object a4,
                    Object a5,
                    Object[] all) {
                calls.add("recorder " + n + " " + a0);
            }
        };
        s.addProbe(recorder);
        s.site().fire(1);
        assertEquals(0, rcu.readerCount(), "no thread entered a section for a recorder");
        TraceProbe external = (t, f) -> calls.add("probe " + f[0]);
        s.addProbe(external);
        s.site().fire(2);
        assertEquals(1, rcu.readerCount(), "a probe from outside runs in a section the grace period waits for");
        s.removeProbe(external);
        s.site().fire(3);
        assertEquals(List.of("recorder 1 1", "recorder 1 2", "probe 2", "recorder 1 3"), calls);
    }

    @Test
    void probesRunInRegistrationOrderAndAFailingProbeIsContained() {
        Tracepoint tp = core.define(TraceEventDefinition.of("s", "e"));
        List<String> order = new ArrayList<>();
        core.probeRegister("s", "e", (t, f) -> order.add("a"));
        core.probeRegister("s", "e", (t, f) -> {
            throw new IllegalStateException("bad probe");
        });
        core.probeRegister("s", "e", (t, f) -> order.add("c"));
        tp.fire();
        assertEquals(List.of("a", "c"), order);
        assertEquals(1, ((TracepointSite) tp).state().probeErrors());
    }

    @Test
    void redefiningWithTheSameShapeReturnsTheSameTracepointOtherwiseEexist() {
        TraceEventDefinition d = TraceEventDefinition.of("s", "e", new TraceField("int", "x"));
        Tracepoint a = core.define(d);
        assertSame(a, core.define(d));
        KernelException e = assertThrows(
                KernelException.class,
                () -> core.define(TraceEventDefinition.of("s", "e", new TraceField("long", "x"))));
        assertEquals(Errno.EEXIST, e.errno());
    }

    @Test
    void badDefinitionsAreEinvalAndChangeNothing() {
        int before = core.definitions().size();
        for (TraceEventDefinition d : List.of(
                TraceEventDefinition.of("bad-sys", "e"),
                TraceEventDefinition.of("s", "e", new TraceField("float", "x")),
                TraceEventDefinition.of("s", "e", new TraceField("int", "x")).withFormat("x=%d y=%d"),
                TraceEventDefinition.of("s", "e", new TraceField("int", "x")).withFormat("x=%q"))) {
            KernelException e = assertThrows(KernelException.class, () -> core.define(d));
            assertEquals(Errno.EINVAL, e.errno(), d.toString());
        }
        assertEquals(before, core.definitions().size());
    }

    @Test
    void removedTracepointIsGoneItsSiteIsInertAndProbesGetEnodev() {
        Tracepoint tp = core.define(TraceEventDefinition.of("s", "e"));
        int[] calls = {0};
        TraceProbe p = (t, f) -> calls[0]++;
        core.probeRegister("s", "e", p);
        core.remove("s", "e");
        assertNull(core.find("s", "e"));
        assertFalse(tp.enabled());
        tp.fire();
        assertEquals(0, calls[0]);
        assertEquals(
                Errno.ENODEV,
                assertThrows(
                                KernelException.class,
                                () -> ((TracepointSite) tp).state().addProbe(p))
                        .errno());
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> core.remove("s", "e")).errno());
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> core.probeRegister("s", "e", p))
                        .errno());
    }

    @Test
    void probeErrors() {
        core.define(TraceEventDefinition.of("s", "e"));
        TraceProbe p = (t, f) -> {};
        core.probeRegister("s", "e", p);
        assertEquals(
                Errno.EEXIST,
                assertThrows(KernelException.class, () -> core.probeRegister("s", "e", p))
                        .errno());
        core.probeUnregister("s", "e", p);
        assertEquals(
                Errno.ENOENT,
                assertThrows(KernelException.class, () -> core.probeUnregister("s", "e", p))
                        .errno());
    }

    @Test
    void eventOnlyDefinitionIsListedButNotFindable() {
        core.defineEventOnly(TraceEventDefinition.of("m", "ev").withOwner("m"));
        assertNull(core.find("m", "ev"));
        assertFalse(core.live("m", "ev"));
        assertTrue(core.definitions().stream().anyMatch(d -> d.fullName().equals("m:ev")));
        core.remove("m", "ev");
        assertFalse(core.definitions().stream().anyMatch(d -> d.fullName().equals("m:ev")));
    }

    @Test
    void aProbeMayUnregisterItselfWithoutDeadlock() {
        Tracepoint tp = core.define(TraceEventDefinition.of("s", "e"));
        int[] calls = {0};
        TraceProbe[] self = new TraceProbe[1];
        self[0] = (t, f) -> {
            calls[0]++;
            core.probeUnregister("s", "e", self[0]);
        };
        core.probeRegister("s", "e", self[0]);
        tp.fire();
        tp.fire();
        assertEquals(1, calls[0]);
    }
}
