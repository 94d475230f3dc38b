package org.kmodel.module.sig.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/** The trailer checks of docs/modules.md (mod_check_sig order) for both trailer forms. */
class SigTrailerTest {
    private static byte[] withInfo(byte[] body, int algo, int hash, int idType, int sl, int kl, int pad, long sigLen) {
        byte[] info = new ModuleSignatureInfo(algo, hash, idType, sl, kl, true, sigLen).toBytes();
        info[5] = (byte) pad;
        byte[] out = Arrays.copyOf(body, body.length + 12 + 28);
        System.arraycopy(info, 0, out, body.length, 12);
        System.arraycopy(SigTrailer.MAGIC, 0, out, body.length + 12, 28);
        return out;
    }

    private static Errno errno(Runnable r) {
        return assertThrows(KernelException.class, r::run).errno();
    }

    @Test
    void magicIs28BytesWithoutNul() {
        assertEquals(28, SigTrailer.MAGIC.length);
        assertEquals(0x7e, SigTrailer.MAGIC[0]);
        assertEquals(0x0a, SigTrailer.MAGIC[27]);
    }

    @Test
    void unsignedAndMagicOnlyHaveNoMarker() {
        assertFalse(SigTrailer.hasMarker(TestKeys.payload(100)));
        assertFalse(SigTrailer.hasMarker(SigTrailer.MAGIC.clone()));
    }

    @Test
    void twelveBytesOrLessBeforeMagicIsEbadmsg() {
        byte[] f = new byte[12 + 28];
        System.arraycopy(SigTrailer.MAGIC, 0, f, 12, 28);
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitPkcs7(f)));
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitX509(f)));
    }

    @Test
    void pkcs7ChecksInKernelOrder() {
        byte[] body = TestKeys.payload(200);
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitPkcs7(withInfo(body, 0, 0, 2, 0, 0, 0, 200))));
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitPkcs7(withInfo(body, 0, 0, 2, 0, 0, 0, 0xFFFFFFFFL))));
        assertEquals(Errno.ENOPKG, errno(() -> SigTrailer.splitPkcs7(withInfo(body, 0, 0, 1, 0, 0, 0, 50))));
        // sig_len is checked before id_type: a huge sig_len with a wrong id_type is EBADMSG.
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitPkcs7(withInfo(body, 0, 0, 1, 0, 0, 0, 500))));
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitPkcs7(withInfo(body, 1, 0, 2, 0, 0, 0, 50))));
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitPkcs7(withInfo(body, 0, 4, 2, 0, 0, 0, 50))));
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitPkcs7(withInfo(body, 0, 0, 2, 3, 0, 0, 50))));
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitPkcs7(withInfo(body, 0, 0, 2, 0, 0, 1, 50))));
        SigTrailer.Pkcs7 ok = SigTrailer.splitPkcs7(withInfo(body, 0, 0, 2, 0, 0, 0, 50));
        assertEquals(150, ok.payloadLength());
        assertArrayEquals(Arrays.copyOfRange(body, 150, 200), ok.cms());
    }

    @Test
    void x509FormChecksInKernelOrder() {
        byte[] body = TestKeys.payload(200);
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitX509(withInfo(body, 1, 4, 1, 0, 0, 0, 200))));
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.splitX509(withInfo(body, 1, 4, 1, 100, 50, 0, 50))));
        assertEquals(Errno.ENOPKG, errno(() -> SigTrailer.splitX509(withInfo(body, 0, 4, 1, 5, 5, 0, 50))));
        assertEquals(Errno.ENOPKG, errno(() -> SigTrailer.splitX509(withInfo(body, 1, 4, 2, 5, 5, 0, 50))));
        assertEquals(Errno.ENOPKG, errno(() -> SigTrailer.splitX509(withInfo(body, 1, 8, 1, 5, 5, 0, 50))));
        SigTrailer.X509Form f = SigTrailer.splitX509(withInfo(body, 1, 4, 1, 5, 7, 0, 50));
        assertEquals(138, f.payloadLength());
        assertEquals(5, f.signer().length);
        assertEquals(7, f.keyId().length);
        assertEquals(50, f.sig().length);
    }

    @Test
    void mpiLengthMustMatch() {
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.extractMpi(new byte[] {0, 1})));
        assertEquals(Errno.EBADMSG, errno(() -> SigTrailer.extractMpi(new byte[] {0, 5, 1, 2, 3})));
        assertArrayEquals(new byte[] {1, 2, 3}, SigTrailer.extractMpi(new byte[] {0, 3, 1, 2, 3}));
    }
}
