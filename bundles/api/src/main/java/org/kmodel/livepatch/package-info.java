/**
 * Live patching (kernel/livepatch, include/linux/livepatch.h) and the layer under it that ftrace provides
 * for it: {@link org.kmodel.livepatch.KernelFunction}, a patchable kernel function whose unpatched call
 * folds to a direct call; {@link org.kmodel.livepatch.KernelTasks}, the tasks whose kernel stacks the
 * consistency models inspect; and {@link org.kmodel.livepatch.LivePatching}, the {@code klp_enable_patch}
 * a patch module calls from its init. The livepatch bundle provides the implementation.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.kmodel.livepatch;
