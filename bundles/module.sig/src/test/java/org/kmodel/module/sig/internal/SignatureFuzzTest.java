package org.kmodel.module.sig.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.SignatureCheck;

/**
 * Jazzer fuzz targets of reliability.md §5.3 (1, 3, 6): the trailer parser and the PKCS#7 parser behind
 * the verifier. Invariants: the verifier returns an errno and never throws; the payload never exceeds
 * the input; {@code describe} throws nothing but KernelException. {@code mvn test} runs these in
 * regression mode over src/test/resources/.../SignatureFuzzTestInputs; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SignatureFuzzTest {
    private static final BcModuleSignatureVerifier VERIFIER = new BcModuleSignatureVerifier(TestKeys.keyring());

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
