package org.kmodel.module.testing;

import java.nio.file.Path;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.Taint;
import org.kmodel.module.ModuleLoader;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.internal.ModuleLoaderComponent;

/** The module bundle's loader for a test or benchmark that runs without OSGi. */
public final class TestModuleLoader {
    private TestModuleLoader() {}

    /**
     * The bundle's {@link ModuleLoader} for {@code release}, tainting {@code taint}, logging to {@code log} and
     * checking signatures with {@code verifier}; modprobe looks in {@code moduleDir}. Every check of insmod and
     * rmmod runs as in the service; a module's code is not installed into a framework (its init always
     * succeeds), no module notifier is called and no /proc or sysfs file is registered.
     */
    public static ModuleLoader standalone(
            KernelRelease release, Taint taint, KernelLog log, ModuleSignatureVerifier verifier, Path moduleDir) {
        return ModuleLoaderComponent.standalone(release, taint, log, verifier, moduleDir);
    }
}
