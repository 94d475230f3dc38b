package org.kmodel.module.sig.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * Splits a module file into payload and appended signature, in the kernel's order of checks:
 * kernel/module/signing.c {@code module_sig_check} + kernel/module_signature.c {@code mod_check_sig}
 * for the PKCS#7 form (4.3+), kernel/module_signing.c {@code mod_verify_sig} for the X.509 form
 * (3.7–4.2). Every length from the trailer is checked against what is left before anything is sliced,
 * so no input can make this allocate more than the input or throw anything but KernelException.
 */
public final class SigTrailer {
    /** {@code MODULE_SIG_STRING}: 28 bytes, no NUL. */
    public static final byte[] MAGIC = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);

    private SigTrailer() {}

    /** A parsed PKCS#7 trailer: {@code [0, payloadLength)} is signed by {@code cms}. */
    record Pkcs7(int payloadLength, byte[] cms, ModuleSignatureInfo info) {}

    /** A parsed 3.x trailer: signer name, key id and the MPI-prefixed RSA signature. */
    record X509Form(int payloadLength, byte[] signer, byte[] keyId, byte[] sig, ModuleSignatureInfo info) {}

    /** True if the file ends with the magic string and is longer than it (module_sig_check). */
    public static boolean hasMarker(byte[] file) {
        int m = MAGIC.length;
        return file.length > m && Arrays.equals(file, file.length - m, file.length, MAGIC, 0, m);
    }

    /** The 12-byte info block, or EBADMSG if the file is too short for one. */
    static ModuleSignatureInfo info(byte[] file) {
        long modlen = file.length - MAGIC.length;
        if (modlen <= ModuleSignatureInfo.SIZE) {
            throw new KernelException(Errno.EBADMSG, "module signature: file too short");
        }
        return ModuleSignatureInfo.read(file, (int) modlen - ModuleSignatureInfo.SIZE);
    }

    /** mod_check_sig (4.3+). The caller has checked {@link #hasMarker}. */
    static Pkcs7 splitPkcs7(byte[] file) {
        ModuleSignatureInfo ms = info(file);
        long modlen = file.length - MAGIC.length - ModuleSignatureInfo.SIZE;
        if (ms.sigLen() >= modlen) {
            throw new KernelException(Errno.EBADMSG, "module signature: sig_len " + ms.sigLen() + " too large");
        }
        if (ms.idType() != ModuleSignatureInfo.PKEY_ID_PKCS7) {
            throw new KernelException(Errno.ENOPKG, "module signature: id_type " + ms.idType() + " not PKCS#7");
        }
        if (ms.algo() != 0 || ms.hash() != 0 || ms.signerLen() != 0 || ms.keyIdLen() != 0 || !ms.padZero()) {
            throw new KernelException(Errno.EBADMSG, "module signature: non-zero fields in PKCS#7 signature info");
        }
        int payload = (int) (modlen - ms.sigLen());
        return new Pkcs7(payload, Arrays.copyOfRange(file, payload, (int) modlen), ms);
    }

    /** mod_verify_sig of 3.7–4.2, up to the key lookup. The caller has checked {@link #hasMarker}. */
    static X509Form splitX509(byte[] file) {
        ModuleSignatureInfo ms = info(file);
        long modlen = file.length - MAGIC.length - ModuleSignatureInfo.SIZE;
        if (ms.sigLen() >= modlen) {
            throw new KernelException(Errno.EBADMSG, "module signature: sig_len " + ms.sigLen() + " too large");
        }
        modlen -= ms.sigLen();
        long ids = (long) ms.signerLen() + ms.keyIdLen();
        if (ids >= modlen) {
            throw new KernelException(Errno.EBADMSG, "module signature: signer and key id do not fit");
        }
        modlen -= ids;
        if (ms.algo() != ModuleSignatureInfo.PKEY_ALGO_RSA || ms.idType() != ModuleSignatureInfo.PKEY_ID_X509) {
            throw new KernelException(
                    Errno.ENOPKG, "module signature: algo " + ms.algo() + " id_type " + ms.idType() + " not RSA/X.509");
        }
        if (HashAlgo.byIndex(ms.hash()) == null) {
            throw new KernelException(Errno.ENOPKG, "module signature: unknown hash " + ms.hash());
        }
        int p = (int) modlen;
        int s = p + ms.signerLen();
        int k = s + ms.keyIdLen();
        int end = (int) (k + ms.sigLen());
        return new X509Form(
                p,
                Arrays.copyOfRange(file, p, s),
                Arrays.copyOfRange(file, s, k),
                Arrays.copyOfRange(file, k, end),
                ms);
    }

    /**
     * mod_extract_mpi_array (3.x): a big-endian u16 byte count, then exactly that many bytes of the RSA
     * signature; anything else is EBADMSG.
     */
    static byte[] extractMpi(byte[] sig) {
        if (sig.length < 3) {
            throw new KernelException(Errno.EBADMSG, "module signature: MPI too short");
        }
        int n = ((sig[0] & 0xff) << 8) | (sig[1] & 0xff);
        if (n != sig.length - 2) {
            throw new KernelException(Errno.EBADMSG, "module signature: MPI length " + n + " != " + (sig.length - 2));
        }
        return Arrays.copyOfRange(sig, 2, sig.length);
    }

    /** Appends a trailer: {@code module ‖ blob ‖ info ‖ magic}. */
    static byte[] append(byte[] module, byte[] blob, ModuleSignatureInfo info) {
        byte[] out = Arrays.copyOf(module, module.length + blob.length + ModuleSignatureInfo.SIZE + MAGIC.length);
        System.arraycopy(blob, 0, out, module.length, blob.length);
        System.arraycopy(info.toBytes(), 0, out, module.length + blob.length, ModuleSignatureInfo.SIZE);
        System.arraycopy(MAGIC, 0, out, out.length - MAGIC.length, MAGIC.length);
        return out;
    }
}
