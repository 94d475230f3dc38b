package org.kmodel.module;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A module notifier ({@code register_module_notifier}): whiteboard services the loader calls on every
 * state change, in {@code service.ranking} order. A notifier called for {@link ModuleState#COMING} runs
 * before the module's code starts (tracepoint_module_coming runs here); for {@link ModuleState#GOING}
 * after the module's code stopped. A notifier must not throw; the loader logs and ignores exceptions.
 */
@ConsumerType
public interface ModuleNotifier {
    void moduleStateChanged(KernelModule module, ModuleState state);
}
