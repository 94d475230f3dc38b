package org.kmodel.module.internal;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.SignatureCheck;

/**
 * {@code module_sig_check} (kernel/module/signing.c; 3.x kernel/module.c): the first step of a load,
 * before the image is parsed. Decides from the verifier's errno, the release and the enforcement switch
 * whether the load goes on (with {@code sig_ok} true or false) or fails (docs/modules.md#what-happens-on-each-outcome-modulesigcheck):
 * <ul>
 * <li>3.7–5.3: only "unsigned" and "unknown key" ({@code ENOKEY}) are soft, and only when not enforcing;
 * enforcing returns {@code ENOKEY}; {@code ENOPKG} is always fatal.</li>
 * <li>5.4+: unsigned ({@code ENODATA}), {@code ENOKEY} and {@code ENOPKG} are soft; enforcing turns them
 * into {@code EKEYREJECTED} with "Loading of ... is rejected".</li>
 * <li>Every other error (EBADMSG, EKEYREJECTED, EINVAL) is fatal in every mode.</li>
 * </ul>
 */
final class ModuleSigCheck {
    /** The outcome of a check that lets the load go on. */
    record Result(boolean sigOk, int payloadLength, SignatureCheck check) {}

    private ModuleSigCheck() {}

    /**
     * @param forcedFlags the load asked to ignore vermagic/modversions; from 4.7 such a "mangled" module
     *                    counts as unsigned without looking at its signature
     */
    static Result check(
            byte[] image,
            KernelRelease release,
            boolean enforce,
            boolean forcedFlags,
            ModuleSignatureVerifier verifier,
            KernelLog log) {
        SignatureCheck c;
        if (forcedFlags && release.atLeast(4, 7)) {
            int len = verifier.modVerifySig(image, release).payloadLength();
            c = new SignatureCheck(Errno.ENODATA, len, null, "forced load");
        } else {
            c = verifier.modVerifySig(image, release);
        }
        if (c.valid()) {
            return new Result(true, c.payloadLength(), c);
        }
        Errno err = c.error();
        if (err == Errno.ENOKEY
                && !release.atLeast(4, 3)
                && c.reason() != null
                && c.reason().startsWith("Request for unknown module key")) {
            // 3.x request_asymmetric_key: pr_warn("Request for unknown module key '%s: %*phN' err %ld\n")
            log.warn(c.reason() + " err -126");
        }
        if (!release.atLeast(5, 4)) {
            // 3.x: "int err = -ENOKEY" is what an image without the marker leaves behind.
            if (err == Errno.ENODATA) {
                err = Errno.ENOKEY;
            }
            if (err == Errno.ENOKEY && !enforce) {
                return new Result(false, c.payloadLength(), c);
            }
            throw new KernelException(err, "module signature check: " + reason(c));
        }
        String reason;
        switch (err) {
            case ENODATA:
                reason = "unsigned module";
                break;
            case ENOPKG:
                reason = "module with unsupported crypto";
                break;
            case ENOKEY:
                reason = "module with unavailable key";
                break;
            default:
                throw new KernelException(err, "module signature check: " + reason(c));
        }
        if (enforce) {
            log.printk(KernelLog.Level.NOTICE, "Loading of " + reason + " is rejected");
            throw new KernelException(Errno.EKEYREJECTED, "Loading of " + reason + " is rejected");
        }
        return new Result(false, c.payloadLength(), c);
    }

    private static String reason(SignatureCheck c) {
        return c.reason() == null ? c.error().name() : c.reason();
    }
}
