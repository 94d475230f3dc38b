package org.kmodel.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.testing.TestKernel;
import org.kmodel.module.ModuleLoader;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.ModuleSigner;
import org.kmodel.module.SignatureCheck;
import org.kmodel.module.sig.testing.TestModuleSig;
import org.kmodel.module.testing.TestModuleLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4's targets: verifying an RSA-2048/SHA-256 module signature (≥ 5,000 per second on one core)
 * and the loader's insmod path for a 100 KiB signed module (median ≤ 20 ms). The verify benchmarks measure the
 * module.sig bundle's verifier (mod_verify_sig: trailer, PKCS#7 or X.509-form parse, keyring look-up, RSA) over
 * its own keyring. The insmod benchmark runs the module bundle's loader (load_module then delete_module) with
 * every check (signature, parse, vermagic, taints, symbols), from its test-support export: the module's code is
 * only counted, not installed into Felix (not on a plain classpath), and no notifier is registered.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ModuleSignature -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ModuleSignatureBenchmark {
    @Param({"4096", "102400"})
    int size;

    private ModuleSignatureVerifier verifier;
    private byte[] pkcs7;
    private byte[] x509;
    private ModuleLoader loader;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        TestModuleSig.Key key = TestModuleSig.generateKey("bench", 2048);
        verifier = TestModuleSig.verifier(TestModuleSig.keyring(key.der()));
        byte[] module = jar(size);
        pkcs7 = key.sign(module, ModuleSigner.Form.PKCS7);
        x509 = key.sign(module, ModuleSigner.Form.X509);
        ReleaseProfile profile = new ReleaseProfile() {
            @Override
            public KernelRelease release() {
                return KernelRelease.V6_18;
            }

            @Override
            public String unameVersion() {
                return "#1";
            }

            @Override
            public String procVersion() {
                return "Linux";
            }
        };
        // no modprobe here: the module directory is never read
        loader = TestModuleLoader.standalone(
                KernelRelease.V6_18, TestKernel.taint(profile), QuietLog.INSTANCE, verifier, Path.of("lib", "modules"));
    }

    private static byte[] jar(int size) throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-SymbolicName", "bench");
        a.putValue("Kmodel-Module-Name", "bench");
        a.putValue("Kmodel-License", "GPL");
        a.putValue("Kmodel-Intree", "Y");
        a.putValue("Kmodel-Vermagic", "6.18.0-kmodel SMP mod_unload");
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bos, mf)) {
            ZipEntry e = new ZipEntry("blob");
            e.setMethod(ZipEntry.STORED);
            byte[] blob = new byte[size];
            new java.util.Random(1).nextBytes(blob);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(blob);
            e.setSize(size);
            e.setCrc(crc.getValue());
            out.putNextEntry(e);
            out.write(blob);
            out.closeEntry();
        }
        return bos.toByteArray();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public SignatureCheck verifyPkcs7() {
        return verifier.modVerifySig(pkcs7, KernelRelease.V6_18);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public SignatureCheck verifyX509Form() {
        return verifier.modVerifySig(x509, KernelRelease.V3_15);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void insmodRmmod() {
        loader.insmod(pkcs7, "bench.ko", false, List.of());
        loader.rmmod("bench", false);
    }
}
