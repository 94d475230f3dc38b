package org.kmodel.module.sig.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleSigner.Form;
import org.kmodel.module.SignatureCheck;

/**
 * Fuzz-style robustness (docs/testing.md#fuzzing-module-signatures): truncated, garbled and length-manipulated trailers of
 * valid signatures in both forms, and the CVE-shaped ASN.1 seeds. Invariants: the verifier returns an
 * errno and never throws; a mutated file is never accepted; the payload never exceeds the input;
 * {@code describe} throws nothing but KernelException. A fixed seed and fixed keys ({@link TestKeys})
 * keep it reproducible. Which mutated files the kernel also accepts is exact, per byte ({@link Lenient}):
 * only those may pass; any other change must fail.
 */
class TrailerFuzzTest {
    private final BcModuleSignatureVerifier v = new BcModuleSignatureVerifier(TestKeys.keyring());
    private final byte[] module = TestKeys.payload(2000);

    private void check(byte[] f, KernelRelease r, boolean mustFail) {
        SignatureCheck c;
        try {
            c = v.modVerifySig(f, r);
        } catch (Throwable t) {
            fail("verifier threw " + t, t);
            return;
        }
        assertNotNull(c);
        assertTrue(c.payloadLength() >= 0 && c.payloadLength() <= f.length);
        if (mustFail) {
            assertNotNull(c.error(), "mutated signature accepted");
        }
        try {
            v.describe(f);
        } catch (KernelException expected) {
            // fine: malformed
        } catch (Throwable t) {
            fail("describe threw " + t, t);
        }
    }

    @Test
    void mutationsOfValidSignatures() {
        Random rnd = new Random(0x6b6d6f64L);
        for (Form form : Form.values()) {
            KernelRelease r = form == Form.PKCS7 ? KernelRelease.V6_18 : KernelRelease.V3_15;
            byte[] signed = new SignFile()
                    .signFile(
                            "sha256",
                            TestKeys.pem(TestKeys.TRUSTED),
                            TestKeys.der(TestKeys.TRUSTED),
                            module,
                            form,
                            false);
            int tail = signed.length - module.length;
            Lenient lenient = form == Form.PKCS7 ? Lenient.pkcs7(signed) : Lenient.x509Pad(signed);
            for (int i = 0; i < 1500; i++) {
                byte[] f = signed.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int pos = module.length + rnd.nextInt(tail - 28);
                    f[pos] ^= (byte) (1 + rnd.nextInt(255));
                }
                check(f, r, lenient.mustFail(f, signed));
            }
            for (int cut = 0; cut < tail + 40; cut++) {
                check(Arrays.copyOf(signed, signed.length - cut), r, cut > 0);
            }
            // Truncation that keeps the magic: drop bytes in front of the trailer.
            for (int cut = 1; cut < tail; cut += 7) {
                byte[] f = new byte[signed.length - cut];
                System.arraycopy(signed, 0, f, 0, module.length);
                System.arraycopy(signed, module.length + cut, f, module.length, f.length - module.length);
                check(f, r, true);
            }
        }
    }

    @Test
    void hostileLengthsAndAsn1Seeds() {
        byte[][] seeds = {
            {0x30, 0x30}, // syzkaller: 2-byte certificate
            {0x30, (byte) 0x84, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02, 0x01, 0x00
            }, // CVE-2016-0758 shape
            {
                0x30,
                (byte) 0x80,
                0x06,
                0x09,
                0x2a,
                (byte) 0x86,
                0x48,
                (byte) 0x86,
                (byte) 0xf7,
                0x0d,
                0x01,
                0x07,
                0x02,
                0x00,
                0x00
            },
            {0x30, (byte) 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9}, // too many length octets
            {0x30, 0x03, 0x06, 0x01}, // length beyond the data
            new byte[0],
        };
        for (byte[] s : seeds) {
            for (long sigLen : new long[] {s.length, 0, 1, 0x7fffffffL, 0x80000000L, 0xffffffffL}) {
                byte[] f = SigTrailer.append(module, s, new ModuleSignatureInfo(0, 0, 2, 0, 0, true, sigLen));
                check(f, KernelRelease.V6_18, true);
                byte[] g = SigTrailer.append(module, s, new ModuleSignatureInfo(1, 4, 1, 3, 3, true, sigLen));
                check(g, KernelRelease.V3_15, true);
            }
        }
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[rnd.nextInt(120)];
            rnd.nextBytes(junk);
            byte[] f = Arrays.copyOf(junk, junk.length + 28);
            System.arraycopy(SigTrailer.MAGIC, 0, f, junk.length, 28);
            check(f, KernelRelease.V6_18, true);
            check(f, KernelRelease.V3_14, true);
        }
    }
}
