package org.kmodel.module.sig.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.SignatureCheck;

/**
 * Jazzer fuzz targets of docs/testing.md#fuzzing-module-signatures: the trailer parser and the PKCS#7 parser behind
 * the verifier. Invariants: the verifier returns an errno and never throws; the payload never exceeds
 * the input; {@code describe} throws nothing but KernelException. {@code mvn test} runs these in
 * regression mode over src/test/resources/.../SignatureFuzzTestInputs; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SignatureFuzzTest {
    private static final BcModuleSignatureVerifier VERIFIER = new BcModuleSignatureVerifier(TestKeys.keyring());
    private static final byte[] MODULE = TestKeys.payload(600);
    private static final byte[] PKCS7 = new SignFile()
            .signFile(
                    "sha256",
                    TestKeys.pem(TestKeys.TRUSTED),
                    TestKeys.der(TestKeys.TRUSTED),
                    MODULE,
                    org.kmodel.module.ModuleSigner.Form.PKCS7,
                    false);
    private static final byte[] X509 = new SignFile()
            .signFile(
                    "sha256",
                    TestKeys.pem(TestKeys.TRUSTED),
                    TestKeys.der(TestKeys.TRUSTED),
                    MODULE,
                    org.kmodel.module.ModuleSigner.Form.X509,
                    false);

    /**
     * Structure-aware (the PKCS#7 target): byte edits, truncations and insertions in the trailer of a valid
     * signature of either form, so the fuzzer reaches the PKCS#7 parser and the verifier.
     */
    @FuzzTest(maxDuration = "30s")
    void signedTrailer(FuzzedDataProvider data) {
        boolean pkcs7 = data.consumeBoolean();
        byte[] base = pkcs7 ? PKCS7 : X509;
        int tail = base.length - MODULE.length;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(base, 0, MODULE.length);
        byte[] t = java.util.Arrays.copyOfRange(base, MODULE.length, base.length - SigTrailer.MAGIC.length);
        int edits = data.consumeInt(0, 8);
        for (int i = 0; i < edits && t.length > 0; i++) {
            int pos = data.consumeInt(0, t.length - 1);
            switch (data.consumeInt(0, 2)) {
                case 0:
                    t[pos] = data.consumeByte();
                    break;
                case 1:
                    t = java.util.Arrays.copyOf(t, pos);
                    break;
                default: {
                    byte[] ins = data.consumeBytes(data.consumeInt(0, 16));
                    byte[] n = new byte[t.length + ins.length];
                    System.arraycopy(t, 0, n, 0, pos);
                    System.arraycopy(ins, 0, n, pos, ins.length);
                    System.arraycopy(t, pos, n, pos + ins.length, t.length - pos);
                    t = n;
                }
            }
        }
        out.write(t, 0, t.length);
        out.write(SigTrailer.MAGIC, 0, SigTrailer.MAGIC.length);
        byte[] file = out.toByteArray();
        SignatureCheck c = VERIFIER.modVerifySig(file, pkcs7 ? KernelRelease.V6_18 : KernelRelease.V3_15);
        assertTrue(c.payloadLength() >= 0 && c.payloadLength() <= file.length);
        if (c.valid()) {
            // Only what the kernel ignores may change and still verify: the payload must be the module.
            assertTrue(c.payloadLength() == MODULE.length, "accepted with a different payload");
        }
        assertTrue(tail > 0);
        try {
            VERIFIER.describe(file);
        } catch (KernelException expected) {
            // malformed
        }
    }

    @FuzzTest(maxDuration = "30s")
    void trailer(FuzzedDataProvider data) {
        boolean modern = data.consumeBoolean();
        byte[] body = data.consumeRemainingAsBytes();
        byte[] file = new byte[body.length + SigTrailer.MAGIC.length];
        System.arraycopy(body, 0, file, 0, body.length);
        System.arraycopy(SigTrailer.MAGIC, 0, file, body.length, SigTrailer.MAGIC.length);
        SignatureCheck c = VERIFIER.modVerifySig(file, modern ? KernelRelease.V6_18 : KernelRelease.V3_15);
        assertNotNull(c.error(), "random bytes never verify");
        assertTrue(c.payloadLength() >= 0 && c.payloadLength() <= file.length);
        try {
            VERIFIER.describe(file);
        } catch (KernelException expected) {
            // malformed
        }
    }
}
