package org.kmodel.sample.livepatch_shadow_sample;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpCallbacks;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;
import org.kmodel.livepatch.LivePatching;
import org.kmodel.livepatch.ShadowVariables;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Shadow variables (samples/livepatch/livepatch-shadow-fix1.c in spirit): the patch adds a "field" to a
 * structure it cannot change, a read counter on the boot parameters object, with {@code klp_shadow_get_or_alloc}.
 * {@code cat /proc/cmdline} then prints the command line and how often it was read since the patch. The
 * post-unpatch callback frees every shadow of this id ({@code klp_shadow_free_all}), as the kernel sample's does.
 */
public class ShadowSample implements BundleActivator {
    static final long SV_READS = 1;
    private static volatile ShadowVariables shadow;

    public static Object cmdlineProcShow(Object bootParams) {
        AtomicLong reads = (AtomicLong) shadow.getOrAlloc(bootParams, SV_READS, AtomicLong::new);
        return ((org.kmodel.kernel.BootParams) bootParams).cmdline() + " (read " + reads.incrementAndGet()
                + " times since livepatch_shadow_sample)";
    }

    @Override
    public void start(BundleContext ctx) throws Exception {
        ServiceReference<LivePatching> ref = ctx.getServiceReference(LivePatching.class);
        if (ref == null) {
            throw new KernelException(Errno.ENODEV, "livepatch_shadow_sample: no live patching core");
        }
        LivePatching klp = ctx.getService(ref);
        shadow = klp.shadow();
        var newFunc = MethodHandles.lookup()
                .findStatic(ShadowSample.class, "cmdlineProcShow", MethodType.methodType(Object.class, Object.class));
        KlpCallbacks freeShadows = new KlpCallbacks() {
            @Override
            public void postUnpatch(String object) {
                klp.shadow().freeAll(SV_READS);
            }
        };
        klp.enablePatch(new KlpPatch(
                "livepatch_shadow_sample",
                List.of(new KlpObject(
                        KernelFunction.VMLINUX, List.of(new KlpFunc("cmdline_proc_show", newFunc)), freeShadows)),
                false));
    }

    @Override
    public void stop(BundleContext ctx) {}
}
