package org.kmodel.module;

import org.kmodel.kernel.Errno;

/**
 * The result of {@code mod_verify_sig}: whether the appended signature verified, and where the module
 * payload ends. The loader turns {@link #error()} into a decision with the release's policy
 * (kernel/module/signing.c {@code module_sig_check}).
 *
 * @param error         {@code null} if the signature is valid; {@link Errno#ENODATA} if there is no
 *                      signature marker; otherwise the errno of the failed check (EBADMSG, ENOPKG, ENOKEY,
 *                      EKEYREJECTED, EINVAL)
 * @param payloadLength the number of leading bytes that are the module itself (the signed content),
 *                      the whole file when unsigned
 * @param signature     what the trailer says, or {@code null} when unsigned or unparseable
 * @param reason        a short explanation for the kernel log, may be null
 */
public record SignatureCheck(Errno error, int payloadLength, SignatureInfo signature, String reason) {
    public boolean valid() {
        return error == null;
    }
}
