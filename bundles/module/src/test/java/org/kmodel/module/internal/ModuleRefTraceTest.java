package org.kmodel.module.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.testing.RecordingTracepoints;

/**
 * Issue 5: module:module_get / module:module_put where a module's refcount changes: try_module_get and
 * module_put with their caller, ref_module when a dependent loads, module_unload_free when it goes.
 * {@code refcnt} is atomic_read(&mod->refcnt), i.e. module_refcount() + MODULE_REF_BASE.
 */
class ModuleRefTraceTest {
    private final Fixture fx = new Fixture(KernelRelease.V3_15);
    private final RecordingTracepoints reg = new RecordingTracepoints("module:module_get", "module:module_put");
    private final RecordingTracepoints.Recorder get = reg.get("module:module_get");
    private final RecordingTracepoints.Recorder put = reg.get("module:module_put");

    private void bind() {
        fx.core.refTrace = ModuleRefTrace.of(reg);
    }

    private byte[] exporter() {
        return fx.sign(fx.clean("core", "Kmodel-Export-Symbol", "core_register"), Fixture.TRUSTED);
    }

    private byte[] user(String name) {
        return fx.sign(fx.clean(name, "Kmodel-Import-Symbol", "core_register"), Fixture.TRUSTED);
    }

    @Test
    void tryModuleGetAndModulePutFireWithCallSiteAndRefcnt() {
        bind();
        reg.enableAll(true);
        fx.load(exporter(), false);
        assertTrue(fx.core.get("core", "get_fs_type"));
        assertTrue(fx.core.get("core", "get_fs_type"));
        fx.core.put("core", "put_filesystem");
        assertEquals(List.of(List.of("core", "get_fs_type", 2), List.of("core", "get_fs_type", 3)), get.fired());
        assertEquals(List.of(List.of("core", "put_filesystem", 2)), put.fired());
    }

    @Test
    void aDependentTakesAReferenceAtRefModuleAndDropsItAtModuleUnloadFree() {
        bind();
        reg.enableAll(true);
        fx.load(exporter(), false);
        assertTrue(get.fired().isEmpty(), "a module without imports references nobody");
        fx.load(user("user1"), false);
        fx.load(user("user2"), false);
        assertEquals(List.of(List.of("core", "ref_module", 2), List.of("core", "ref_module", 3)), get.fired());
        fx.core.delete("user2", false);
        fx.core.delete("user1", false);
        assertEquals(
                List.of(List.of("core", "module_unload_free", 2), List.of("core", "module_unload_free", 1)),
                put.fired());
    }

    @Test
    void aFailedGetFiresNothing() {
        bind();
        reg.enableAll(true);
        assertFalse(fx.core.get("absent", "get_fs_type"));
        assertTrue(get.fired().isEmpty());
    }

    @Test
    void disabledTracepointsAreNeverFired() {
        bind();
        fx.load(exporter(), false);
        fx.load(user("user1"), false);
        assertTrue(fx.core.get("core", "get_fs_type"));
        fx.core.put("core", "put_filesystem");
        fx.core.delete("user1", false);
        assertTrue(get.fired().isEmpty());
        assertTrue(put.fired().isEmpty());
        int finds = reg.finds();
        reg.enableAll(true);
        assertTrue(fx.core.get("core", "x"));
        assertEquals(1, get.fired().size());
        assertEquals(finds, reg.finds(), "looked up once per bind, not per call");
    }

    @Test
    void noRegistryOrAnEmptyOneIsHarmless() {
        fx.load(exporter(), false);
        assertTrue(fx.core.get("core", "x"));
        fx.core.refTrace = ModuleRefTrace.of(new RecordingTracepoints());
        fx.core.put("core", "y");
        assertEquals(0, fx.core.find("core").refcount());
        assertTrue(ModuleRefTrace.of(null) == ModuleRefTrace.NONE);
    }
}
