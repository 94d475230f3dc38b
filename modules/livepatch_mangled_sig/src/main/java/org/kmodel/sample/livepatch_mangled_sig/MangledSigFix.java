package org.kmodel.sample.livepatch_mangled_sig;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.livepatch.KernelFunction;
import org.kmodel.livepatch.KlpFunc;
import org.kmodel.livepatch.KlpObject;
import org.kmodel.livepatch.KlpPatch;
import org.kmodel.livepatch.LivePatching;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.SignatureCheck;
import org.kmodel.module.SignatureInfo;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A real stable-class fix as a live patch: commit bca014caaa61 "module: Invalidate signatures on force-loaded
 * modules" (Ben Hutchings, Linux 4.7). Before it, {@code insmod -f} of a module signed for another kernel kept
 * its valid signature: with {@code module.sig_enforce=1} a module built for a different ABI still loaded (only
 * tainted F). The fix makes {@code module_sig_check} treat a load that ignores vermagic or modversions as
 * unsigned. The new function calls the old one with a verifier that reports "unsigned" for such loads; the
 * old function's own rules then refuse it under enforcement (ENOKEY on 3.x) or taint it E.
 */
public class MangledSigFix implements BundleActivator {
    /**
     * The new module_sig_check, erased: (image, release, enforce, mangled, verifier, log) -> result.
     */
    public static Object moduleSigCheck(
            Object image, Object release, boolean enforce, boolean mangled, Object verifier, Object log)
            throws Throwable {
        Object v = verifier;
        if (mangled) {
            ModuleSignatureVerifier real = (ModuleSignatureVerifier) verifier;
            v = new ModuleSignatureVerifier() {
                @Override
                public SignatureCheck modVerifySig(byte[] img, KernelRelease rel) {
                    int len = real.modVerifySig(img, rel).payloadLength();
                    return new SignatureCheck(Errno.ENODATA, len, null, "forced load: signature invalidated");
                }

                @Override
                public SignatureInfo describe(byte[] img) {
                    return real.describe(img);
                }
            };
        }
        MethodHandle old = KernelFunction.sites(KernelFunction.VMLINUX, "module_sig_check")
                .get(0)
                .original();
        return old.invokeExact(image, release, enforce, mangled, v, log);
    }

    @Override
    public void start(BundleContext ctx) throws Exception {
        ServiceReference<LivePatching> ref = ctx.getServiceReference(LivePatching.class);
        if (ref == null) {
            throw new KernelException(Errno.ENODEV, "livepatch_mangled_sig: no live patching core");
        }
        MethodHandle newFunc = MethodHandles.lookup()
                .findStatic(
                        MangledSigFix.class,
                        "moduleSigCheck",
                        MethodType.methodType(
                                Object.class,
                                Object.class,
                                Object.class,
                                boolean.class,
                                boolean.class,
                                Object.class,
                                Object.class));
        ctx.getService(ref)
                .enablePatch(new KlpPatch(
                        "livepatch_mangled_sig",
                        List.of(new KlpObject(
                                KernelFunction.VMLINUX, List.of(new KlpFunc("module_sig_check", newFunc)))),
                        false));
    }

    @Override
    public void stop(BundleContext ctx) {}
}
