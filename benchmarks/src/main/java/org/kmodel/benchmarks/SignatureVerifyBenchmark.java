package org.kmodel.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.ModuleSigner;
import org.kmodel.module.SignatureCheck;
import org.kmodel.module.SystemKeyring;
import org.kmodel.module.sig.testing.TestModuleSig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Module signature verification (PKCS#7, RSA-2048/SHA-256, 4 KiB module) per second, in one run next to its
 * parts: kmodel's whole mod_verify_sig (parse the trailer and the CMS, check the signer against the keyring,
 * verify), the bare RSA verification with the JDK's provider (SunRsaSign; SHA-256 with CPU intrinsics), and
 * the same with BouncyCastle's provider. Run: {@code java -jar benchmarks/target/benchmarks.jar
 * SignatureVerifyBenchmark}. Target (issue 14): kmodel >= 20,000/s. On a shared machine compare the ratio
 * {@code kmodelModVerifySig / jdkRsaVerify} of one run: the rest of the check (trailer, PKCS#7 parse, key
 * lookup in the keyring index, modinfo fields) is what that ratio leaves below 1 (docs/releases.md has the
 * figures and the commands).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SignatureVerifyBenchmark {
    private ModuleSignatureVerifier verifier;
    private byte[] signed;
    private byte[] module;
    private byte[] rawSignature;
    private PublicKey publicKey;
    private PublicKey bcPublicKey;
    private Signature jdk;
    private Signature bc;

    @Setup
    public void setUp() throws Exception {
        TestModuleSig.Key key = TestModuleSig.generateKey("kmodel build signing key", 2048);
        module = new byte[4096];
        new Random(1).nextBytes(module);
        byte[] pem = key.pem().getBytes(StandardCharsets.US_ASCII);
        signed = TestModuleSig.signer().signFile("sha256", pem, pem, module, ModuleSigner.Form.PKCS7, false);
        X509Certificate cert = key.certificate();
        verifier = TestModuleSig.verifier(new SystemKeyring() {
            @Override
            public List<X509Certificate> certificates() {
                return List.of(cert);
            }

            @Override
            public List<String> descriptions() {
                return List.of();
            }

            @Override
            public X509Certificate add(byte[] pemOrDer) {
                throw new UnsupportedOperationException();
            }
        });
        SignatureCheck check = verifier.modVerifySig(signed, KernelRelease.V6_18);
        if (check.error() != null) {
            throw new IllegalStateException("the signed module does not verify: " + check.error());
        }
        // The certificate comes from BouncyCastle (BuildKey), so its key object is BC's: give each provider
        // its own key class, as the keyring index gives the JDK's provider (else SunRsaSign re-encodes and
        // re-parses a foreign key on every initVerify and the bare figure is not bare).
        publicKey = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(cert.getPublicKey().getEncoded()));
        bcPublicKey = cert.getPublicKey();
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key.keyPair().getPrivate());
        s.update(module);
        rawSignature = s.sign();
        jdk = Signature.getInstance("SHA256withRSA");
        bc = Signature.getInstance("SHA256withRSA", new BouncyCastleProvider());
    }

    @Benchmark
    public SignatureCheck kmodelModVerifySig() {
        return verifier.modVerifySig(signed, KernelRelease.V6_18);
    }

    @Benchmark
    public boolean jdkRsaVerify() throws Exception {
        jdk.initVerify(publicKey);
        jdk.update(module);
        return jdk.verify(rawSignature);
    }

    @Benchmark
    public boolean bouncyCastleRsaVerify() throws Exception {
        bc.initVerify(bcPublicKey);
        bc.update(module);
        return bc.verify(rawSignature);
    }
}
