package org.kmodel.sample.livepatch_sample;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;
import org.kmodel.livepatch.LivePatching;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The kernel's samples/livepatch/livepatch-sample.c: replaces {@code cmdline_proc_show} so that
 * {@code cat /proc/cmdline} prints "this has been live patched". The module init calls
 * {@code klp_enable_patch}; a failure fails the load with its errno. The exit does nothing: the patch is
 * disabled through sysfs before the module can be removed.
 */
public class LivepatchSample implements BundleActivator {
    /** The new cmdline_proc_show (erased type: the boot parameters in, the line out). */
    public static Object livepatchCmdlineProcShow(Object bootParams) {
        return "this has been live patched";
    }

    static KlpPatch patch(String module) throws ReflectiveOperationException {
        var newFunc = MethodHandles.lookup()
                .findStatic(
                        LivepatchSample.class,
                        "livepatchCmdlineProcShow",
                        MethodType.methodType(Object.class, Object.class));
        return new KlpPatch(
                module,
                List.of(new KlpObject(KernelFunction.VMLINUX, List.of(new KlpFunc("cmdline_proc_show", newFunc)))),
                false);
    }

    @Override
    public void start(BundleContext ctx) throws Exception {
        ServiceReference<LivePatching> ref = ctx.getServiceReference(LivePatching.class);
        if (ref == null) {
            throw new KernelException(Errno.ENODEV, "livepatch_sample: no live patching core");
        }
        ctx.getService(ref).enablePatch(patch("livepatch_sample"));
    }

    @Override
    public void stop(BundleContext ctx) {}
}
