package org.kmodel.module.sig.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleSigner.Form;
import org.kmodel.module.SignatureCheck;

/**
 * Interop both ways with the real openssl binary, using openssl cms -sign -binary -noattr -nocerts (docs/modules.md#signature-format): a module signed
 * by {@code openssl cms -sign -binary -noattr -nocerts} loads clean, and our sign-file output verifies
 * with {@code openssl cms -verify} after splitting. Skipped when openssl is not installed.
 */
class OpensslInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needOpenssl() {
        assumeTrue(run(null, "openssl", "version") == 0, "openssl is not installed");
    }

    private static int run(Path cwd, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private void writeKeys() throws IOException {
        Files.write(dir.resolve("signing_key.pem"), TestKeys.pem(TestKeys.TRUSTED));
    }

    @Test
    void moduleSignedByOpensslRecipeLoadsClean() throws IOException {
        writeKeys();
        byte[] payload = TestKeys.payload(10_000);
        Files.write(dir.resolve("payload"), payload);
        assertEquals(
                0,
                run(
                        dir,
                        "openssl",
                        "cms",
                        "-sign",
                        "-binary",
                        "-noattr",
                        "-nocerts",
                        "-md",
                        "sha256",
                        "-signer",
                        "signing_key.pem",
                        "-inkey",
                        "signing_key.pem",
                        "-in",
                        "payload",
                        "-outform",
                        "DER",
                        "-out",
                        "sig.p7s"));
        byte[] cms = Files.readAllBytes(dir.resolve("sig.p7s"));
        byte[] signed = SigTrailer.append(payload, cms, new ModuleSignatureInfo(0, 0, 2, 0, 0, true, cms.length));
        // The spec's observation: a 10000-byte payload gives payload + S + 40 bytes.
        assertEquals(10_000 + cms.length + 40, signed.length);
        SignatureCheck c = new BcModuleSignatureVerifier(TestKeys.keyring()).modVerifySig(signed, KernelRelease.V6_18);
        assertNull(c.error(), c.reason());
        assertEquals(payload.length, c.payloadLength());
    }

    @Test
    void opensslWithSignedAttributesIsRejected() throws IOException {
        writeKeys();
        byte[] payload = TestKeys.payload(1000);
        Files.write(dir.resolve("payload"), payload);
        assertEquals(
                0,
                run(
                        dir,
                        "openssl",
                        "cms",
                        "-sign",
                        "-binary",
                        "-nocerts",
                        "-md",
                        "sha256",
                        "-signer",
                        "signing_key.pem",
                        "-inkey",
                        "signing_key.pem",
                        "-in",
                        "payload",
                        "-outform",
                        "DER",
                        "-out",
                        "sig.p7s"));
        byte[] cms = Files.readAllBytes(dir.resolve("sig.p7s"));
        byte[] signed = SigTrailer.append(payload, cms, new ModuleSignatureInfo(0, 0, 2, 0, 0, true, cms.length));
        assertEquals(
                Errno.EKEYREJECTED,
                new BcModuleSignatureVerifier(TestKeys.keyring())
                        .modVerifySig(signed, KernelRelease.V6_18)
                        .error());
    }

    @Test
    void ourSignFileVerifiesWithOpensslCmsVerify() throws IOException {
        writeKeys();
        for (boolean keyId : new boolean[] {false, true}) {
            byte[] payload = TestKeys.payload(5000);
            byte[] signed = new SignFile()
                    .signFile(
                            "sha256",
                            TestKeys.pem(TestKeys.TRUSTED),
                            TestKeys.der(TestKeys.TRUSTED),
                            payload,
                            Form.PKCS7,
                            keyId);
            SigTrailer.Pkcs7 p = SigTrailer.splitPkcs7(signed);
            Files.write(dir.resolve("payload.out"), Arrays.copyOf(signed, p.payloadLength()));
            Files.write(dir.resolve("sig.p7s"), p.cms());
            assertEquals(0, verify(), "openssl cms -verify, keyId=" + keyId);
            // Tampered payload: openssl says "content verify error", the kernel EKEYREJECTED.
            payload[7] ^= 1;
            Files.write(dir.resolve("payload.out"), payload);
            assertTrue(verify() != 0);
        }
    }

    private int verify() {
        List<String> cmd = new ArrayList<>(List.of(
                "openssl",
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                "sig.p7s",
                "-content",
                "payload.out",
                "-certfile",
                "signing_key.pem",
                "-CAfile",
                "signing_key.pem",
                "-purpose",
                "any",
                "-out",
                "/dev/null"));
        return run(dir, cmd.toArray(String[]::new));
    }

    @Test
    void pemWrittenByOpensslIsReadable() throws IOException {
        Path cfg = dir.resolve("x509.genkey");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "[ req ]",
                        "default_bits = 2048",
                        "distinguished_name = req_distinguished_name",
                        "prompt = no",
                        "string_mask = utf8only",
                        "x509_extensions = myexts",
                        "[ req_distinguished_name ]",
                        "CN = Model kernel test signing key",
                        "[ myexts ]",
                        "basicConstraints=critical,CA:FALSE",
                        "keyUsage=digitalSignature",
                        "subjectKeyIdentifier=hash",
                        "authorityKeyIdentifier=keyid",
                        ""),
                StandardCharsets.US_ASCII);
        assertEquals(
                0,
                run(
                        dir,
                        "openssl",
                        "req",
                        "-new",
                        "-nodes",
                        "-utf8",
                        "-sha256",
                        "-days",
                        "36500",
                        "-batch",
                        "-x509",
                        "-config",
                        "x509.genkey",
                        "-outform",
                        "PEM",
                        "-out",
                        "k.pem",
                        "-keyout",
                        "k.pem"));
        assertEquals(0, run(dir, "openssl", "x509", "-in", "k.pem", "-outform", "DER", "-out", "k.x509"));
        byte[] pem = Files.readAllBytes(dir.resolve("k.pem"));
        byte[] der = Files.readAllBytes(dir.resolve("k.x509"));
        byte[] signed = new SignFile().signFile("sha256", pem, der, TestKeys.payload(300), Form.X509, false);
        FileKeyring k = new FileKeyring();
        k.loadDirectory(dir);
        assertEquals(1, k.certificates().size());
        assertNull(new BcModuleSignatureVerifier(k)
                .modVerifySig(signed, KernelRelease.V3_15)
                .error());
    }
}
