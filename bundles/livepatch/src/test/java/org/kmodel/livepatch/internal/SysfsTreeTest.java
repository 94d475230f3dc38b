package org.kmodel.livepatch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.livepatch.KTask;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;

/**
 * Issue 10: the sysfs tree of a patch (kernel/livepatch/core.c klp_init_patch/klp_init_object/klp_init_func):
 * the patch's attributes, PATCH/OBJECT/patched and an empty PATCH/OBJECT/FUNC,SYMPOS directory per func; an
 * atomic replace shows its nop funcs (and the dynamic object that holds them) until klp_discard_nops.
 */
class SysfsTreeTest {
    private static final String D = "/sys/kernel/livepatch/";

    private static List<String> paths(Harness h, KernelRelease r, String patch) {
        return new LivePatchFiles.Sysfs(null, h.core, r)
                .paths(h.core.find(patch)).stream().sorted().toList();
    }

    @Test
    void patchObjectsAndFunctionDirectories() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            KlpPatch p = new KlpPatch(
                    "lp",
                    List.of(
                            Harness.patch("x", 1, false).objects().get(0),
                            new KlpObject("kmodel_oot", List.of(new KlpFunc("oot_read", null)))),
                    false);
            h.core.enablePatch(p);
            assertTrue(h.settle(5_000));
            assertEquals(
                    List.of(
                            D + "lp/enabled",
                            D + "lp/force",
                            D + "lp/kmodel_oot/oot_read,1/*",
                            D + "lp/kmodel_oot/patched",
                            D + "lp/replace",
                            D + "lp/transition",
                            D + "lp/vmlinux/lp_test_a,1/*",
                            D + "lp/vmlinux/lp_test_b,1/*",
                            D + "lp/vmlinux/patched"),
                    paths(h, KernelRelease.V6_18, "lp"));
            assertEquals(List.of("/sys/kernel/kpatch/patches/lp/enabled"), paths(h, KernelRelease.V3_15, "lp"));
        }
    }

    @Test
    void nopFuncsOfAnAtomicReplaceAreShownUntilDiscarded() throws Exception {
        try (Harness h = new Harness("livepatch")) {
            h.core.enablePatch(new KlpPatch(
                    "one",
                    List.of(
                            Harness.patch("x", 1, false).objects().get(0),
                            new KlpObject("kmodel_oot", List.of(new KlpFunc("oot_read", null)))),
                    false));
            assertTrue(h.settle(5_000));
            KTask t = h.tasks.spawn("parked", me -> {
                while (!me.stopping()) {
                    me.syscall("read", () -> Harness.callA(1));
                }
            });
            t.parkIn("lp_test_a", false);
            assertTrue(t.awaitParked(5_000), "parked");
            KlpPatch two = new KlpPatch(
                    "two",
                    List.of(new KlpObject(
                            KernelFunction.VMLINUX,
                            List.of(Harness.patch("x", 2, false)
                                    .objects()
                                    .get(0)
                                    .funcs()
                                    .get(0)))),
                    true);
            h.core.enablePatch(two);
            assertTrue(h.core.inTransition(), "held by the parked task");
            assertEquals(
                    List.of(
                            D + "two/enabled",
                            D + "two/force",
                            D + "two/kmodel_oot/oot_read,1/*",
                            D + "two/kmodel_oot/patched",
                            D + "two/replace",
                            D + "two/transition",
                            D + "two/vmlinux/lp_test_a,1/*",
                            D + "two/vmlinux/lp_test_b,1/*",
                            D + "two/vmlinux/patched"),
                    paths(h, KernelRelease.V6_18, "two"),
                    "the nops and the dynamic object during the transition");
            t.wake();
            assertTrue(h.settle(5_000));
            assertEquals(
                    List.of(
                            D + "two/enabled",
                            D + "two/force",
                            D + "two/replace",
                            D + "two/transition",
                            D + "two/vmlinux/lp_test_a,1/*",
                            D + "two/vmlinux/patched"),
                    paths(h, KernelRelease.V6_18, "two"),
                    "klp_discard_nops and klp_free_objects_dynamic");
            t.stop();
        }
    }
}
