package org.kmodel.livepatch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;

/**
 * A patch for a module that is not loaded yet (klp_module_coming / klp_module_going): it registers, and the
 * module's function runs the new code from the first call once the module comes; it is reverted when the
 * module goes.
 */
class DeferredModuleTest {
    static int orig(int x) {
        return x;
    }

    static int fixed(int x) {
        return -x;
    }

    @Test
    void patchAppliesWhenTheModuleComes() throws Throwable {
        try (Harness h = new Harness("livepatch")) {
            MethodType t = MethodType.methodType(int.class, int.class);
            MethodHandle fixed = MethodHandles.lookup().findStatic(DeferredModuleTest.class, "fixed", t);
            h.core.enablePatch(new KlpPatch(
                    "fix_mod", List.of(new KlpObject("lp_test_mod", List.of(new KlpFunc("mod_fn", fixed)))), false));
            assertTrue(h.settle(5_000));
            assertEquals(List.of("lp_test_mod"), h.core.patches().get(0).objects());

            h.core.moduleComing("lp_test_mod");
            // the module's code starts after COMING: its class defines the site now
            KernelFunction site = KernelFunction.define(
                    "lp_test_mod", "mod_fn", MethodHandles.lookup().findStatic(DeferredModuleTest.class, "orig", t));
            MethodHandle call = site.invoker();
            assertEquals(-5, (int) call.invokeExact(5), "new code from the first call");
            assertTrue(h.log.contains("livepatch: applying patch 'fix_mod' to loading module 'lp_test_mod'"));

            h.core.moduleGoing("lp_test_mod");
            assertEquals(5, (int) call.invokeExact(5), "reverted when the module goes");
        }
    }
}
