package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.itests.support.KernelTestSupport;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.module.ModuleNotifier;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.SignatureCheck;
import org.kmodel.module.SignatureInfo;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * Kernel modules end to end on release 3.15 with the sample modules of the distribution: signed,
 * unsigned, bad signature, wrong vermagic and forced loads with their errno and taint; module
 * notifiers; the verifier swapped at runtime; hot deploy through load/. One framework per test, so the
 * global taint of one test never leaks into the next.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ModuleIT extends KernelTestSupport {
    static final File LOAD = new File(WORK, "ModuleIT/load");
    static final File MODS = new File(DIST, "lib/modules/3.15.0-kmodel");

    @Configuration
    public Option[] config() {
        return kernel(
                feature("module"),
                hostFiles(),
                hotDeployDir(LOAD),
                systemProperty("kmodel.home").value(DIST.getAbsolutePath()));
    }

    /** A /proc or /sys file through the ProcFs service (what {@code cat} reads; no VFS needed here). */
    private String proc(String path) {
        org.kmodel.kernel.ProcFs fs = context.getService(context.getServiceReference(org.kmodel.kernel.ProcFs.class));
        return fs.read(path);
    }

    /** A sample module of the distribution, through a hostfs mount (a command line names model paths only). */
    private String ko(String rel) throws Exception {
        return hostFile(new File(MODS, rel));
    }

    @Test
    public void signedInTreeModuleLoadsClean() throws Exception {
        gogo("insmod " + ko("kernel/drivers/kmodel/kmodel_core.ko"));
        assertTrue(gogo("lsmod").contains("kmodel_core"));
        String proc = proc("/proc/modules").trim();
        assertTrue(proc, proc.matches("kmodel_core \\d+ 0 - Live 0x[0-9a-f]{16}"));
        assertEquals("0", proc("/proc/sys/kernel/tainted").trim());
        gogo("rmmod kmodel_core");
        assertEquals("", proc("/proc/modules").trim());
    }

    /**
     * Issue 11: a command line names model paths only. The host's path of a sample module is no file of the model:
     * insmod fails as kmod does for a missing file and modinfo finds no module; the same file through a hostfs
     * mount loads.
     */
    @Test
    public void aHostPathIsReadOnlyThroughAHostfsMount() throws Exception {
        String host = new File(MODS, "extra/kmodel_oot.ko")
                .getAbsoluteFile()
                .toPath()
                .normalize()
                .toString();
        String err = gogoFails("insmod " + host);
        assertEquals("ERROR: could not load module " + host + ": " + Errno.ENOENT.strerror(), err);
        String info = gogoFails("modinfo " + host);
        assertTrue(info, info.startsWith("ERROR: Module " + host + " not found."));
        assertEquals("", proc("/proc/modules").trim());
        String mounted = hostFile(new File(host));
        assertEquals(HOST_MOUNTS + host, mounted);
        assertTrue(gogo("modinfo -F license " + mounted).contains("GPL"));
        gogo("insmod " + mounted);
        assertTrue(proc("/proc/modules"), proc("/proc/modules").startsWith("kmodel_oot "));
    }

    @Test
    public void unsignedOutOfTreeModuleTaintsOE() throws Exception {
        gogo("insmod " + ko("extra/kmodel_oot.ko") + " count=2");
        assertTrue(proc("/proc/modules"), proc("/proc/modules").contains(" (OE)"));
        assertEquals("12288", proc("/proc/sys/kernel/tainted").trim());
        assertEquals("2\n", proc("/sys/module/kmodel_oot/parameters/count"));
        assertEquals("OE\n", proc("/sys/module/kmodel_oot/taint"));
        String dmesg = gogo("dmesg");
        assertTrue(
                dmesg,
                dmesg.contains(
                        "kmodel_oot: module verification failed: signature and/or required key missing - tainting kernel"));
        assertTrue(dmesg, dmesg.contains("kmodel_oot: init"));
        assertTrue(gogo("kmodel_oot:fire hello").contains("2 event(s)"));
        gogo("rmmod kmodel_oot");
        assertTrue(gogo("dmesg").contains("kmodel_oot: exit"));
        assertEquals("12288", proc("/proc/sys/kernel/tainted").trim());
    }

    @Test
    public void badSignatureIsRejectedWithoutTaint() throws Exception {
        File bad = new File(WORK, "ModuleIT/bad_sig.ko");
        bad.getParentFile().mkdirs();
        byte[] b = Files.readAllBytes(new File(MODS, "kernel/drivers/kmodel/kmodel_core.ko").toPath());
        b[100] ^= 1;
        Files.write(bad.toPath(), b);
        String err = gogoFails("insmod " + hostFile(bad));
        assertTrue(err, err.contains(Errno.EKEYREJECTED.strerror()));
        assertEquals("0", proc("/proc/sys/kernel/tainted").trim());
        assertNull(installedBundle("org.kmodel.sample.kmodel_core"));
    }

    @Test
    public void wrongVermagicIsEnoexecAndForcedLoadTaintsF() throws Exception {
        String err = gogoFails("insmod " + ko("kernel/drivers/kmodel/kmodel_badmagic.ko"));
        assertTrue(err, err.contains(Errno.ENOEXEC.strerror()));
        assertTrue(
                gogo("dmesg")
                        .contains(
                                "kmodel_badmagic: version magic '3.13.0-24-generic SMP mod_unload modversions' should be '3.15.0-kmodel SMP mod_unload'"));
        gogo("insmod -f " + ko("kernel/drivers/kmodel/kmodel_badmagic.ko"));
        assertTrue(proc("/proc/modules").contains(" (F)"));
        assertEquals("2", proc("/proc/sys/kernel/tainted").trim());
    }

    @Test
    public void modprobeLoadsDependenciesAndRmmodRefusesAModuleInUse() throws Exception {
        gogo("modprobe kmodel_dep");
        String lsmod = gogo("lsmod");
        assertTrue(lsmod, lsmod.contains("kmodel_core") && lsmod.contains("1 kmodel_dep"));
        String err = gogoFails("rmmod kmodel_core");
        assertTrue(err, err.contains("in use by: kmodel_dep"));
        String gpl = gogoFails("modprobe kmodel_gplonly");
        assertTrue(gpl, gpl.contains(Errno.ENOENT.strerror()));
    }

    @Test
    public void notifiersSeeComingLiveGoing() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ModuleNotifier n = (m, s) -> seen.add(m.name() + ":" + s + ":" + m.tracepoints());
        ServiceRegistration<ModuleNotifier> reg = context.registerService(ModuleNotifier.class, n, null);
        gogo("insmod " + ko("extra/kmodel_oot.ko"));
        gogo("rmmod kmodel_oot");
        reg.unregister();
        String tp = "[kmodel_sample:sample_event(int count, String msg)]";
        assertEquals(List.of("kmodel_oot:COMING:" + tp, "kmodel_oot:LIVE:" + tp, "kmodel_oot:GOING:" + tp), seen);
    }

    @Test
    public void verifierSwappedAtRuntime() throws Exception {
        ModuleSignatureVerifier rejectAll = new ModuleSignatureVerifier() {
            @Override
            public SignatureCheck modVerifySig(byte[] image, KernelRelease release) {
                return new SignatureCheck(Errno.EKEYREJECTED, image.length, null, "rejected by the test verifier");
            }

            @Override
            public SignatureInfo describe(byte[] image) {
                return null;
            }
        };
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(Constants.SERVICE_RANKING, 100);
        ServiceRegistration<ModuleSignatureVerifier> reg =
                context.registerService(ModuleSignatureVerifier.class, rejectAll, p);
        String err = gogoFails("insmod " + ko("kernel/drivers/kmodel/kmodel_core.ko"));
        assertTrue(err, err.contains(Errno.EKEYREJECTED.strerror()));
        reg.unregister();
        gogo("insmod " + ko("kernel/drivers/kmodel/kmodel_core.ko"));
        assertEquals("0", proc("/proc/sys/kernel/tainted").trim());
    }

    @Test
    public void hotDeployGoesThroughTheLoaderForPlainBundlesToo() throws Exception {
        File dropped = new File(LOAD, "kmodel_oot.ko");
        File plain = plainBundle(new File(LOAD, "plain.jar"));
        try {
            Files.copy(
                    new File(MODS, "extra/kmodel_oot.ko").toPath(),
                    dropped.toPath(),
                    StandardCopyOption.REPLACE_EXISTING);
            await("FileInstall to insmod the module", () -> proc("/proc/modules")
                    .contains("kmodel_oot"));
            assertTrue(proc("/proc/modules").contains("(OE)"));
            // issue 12: code in load/ is a module whatever its manifest says: the loader inserts it (unsigned: E,
            // no license: P), so it could be refused like any module (docs/hardening.md)
            await("the loader to insert the plain bundle", () -> proc("/proc/modules")
                    .contains("org_kmodel_itests_plain"));
            assertTrue(
                    proc("/proc/modules"),
                    proc("/proc/modules").matches("(?s).*org_kmodel_itests_plain .*\\(P[A-Z]*E\\).*"));
            Files.delete(dropped.toPath());
            await("rmmod on delete", () -> !proc("/proc/modules").contains("kmodel_oot"));
        } finally {
            Files.deleteIfExists(dropped.toPath());
            Files.deleteIfExists(plain.toPath());
        }
        await("rmmod of the plain bundle on delete", () -> installedBundle("org.kmodel.itests.plain") == null);
    }

    /**
     * Issue 4's figure "insmod of a 100 KiB signed module, median ≤ 20 ms" in a running kernel: signs a
     * padded copy of kmodel_core with the build key through the ModuleSigner service, then times 30
     * insmod/rmmod cycles through the ModuleLoader service. Prints the median; asserts only that every
     * cycle worked (no timed assertion).
     */
    @Test
    public void insmodOfA100KibSignedModuleIsMeasured() throws Exception {
        org.kmodel.module.ModuleLoader loader =
                context.getService(context.getServiceReference(org.kmodel.module.ModuleLoader.class));
        org.kmodel.module.ModuleSigner signer =
                context.getService(context.getServiceReference(org.kmodel.module.ModuleSigner.class));
        byte[] unsigned = padded(
                new File(new File(DIST, "lib/modules/6.18.0-kmodel/kernel/drivers/kmodel"), "kmodel_core.ko"),
                100 * 1024);
        byte[] key = Files.readAllBytes(new File(DIST, "certs/signing_key.pem").toPath());
        byte[] signed = signer.signFile("sha256", key, key, unsigned, org.kmodel.module.ModuleSigner.Form.X509, false);
        long[] ns = new long[30];
        for (int i = 0; i < ns.length; i++) {
            long t0 = System.nanoTime();
            loader.insmod(signed, "kmodel_core.ko", false, List.of());
            ns[i] = System.nanoTime() - t0;
            loader.rmmod("kmodel_core", false);
        }
        java.util.Arrays.sort(ns);
        String line = String.format(
                java.util.Locale.ROOT,
                "KMODEL-MEASURE insmod of a %d-byte signed module: median %.2f ms," + " min %.2f ms, max %.2f ms",
                signed.length,
                ns[ns.length / 2] / 1e6,
                ns[0] / 1e6,
                ns[ns.length - 1] / 1e6);
        System.out.println(line);
        assertEquals("0", proc("/proc/sys/kernel/tainted").trim());
    }

    /** The module jar of {@code ko} (signature stripped) with a stored entry making it {@code size} bytes. */
    private static byte[] padded(File ko, int size) throws Exception {
        byte[] b = Files.readAllBytes(ko.toPath());
        java.util.jar.Manifest mf;
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(new java.io.ByteArrayInputStream(b))) {
            mf = in.getManifest();
        }
        mf.getMainAttributes().putValue("Kmodel-Vermagic", "3.15.0-kmodel SMP mod_unload");
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(new java.io.ByteArrayInputStream(b));
                java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(bos, mf)) {
            for (java.util.jar.JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                out.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            byte[] pad = new byte[Math.max(0, size - b.length)];
            new java.util.Random(1).nextBytes(pad);
            java.util.zip.ZipEntry z = new java.util.zip.ZipEntry("firmware.bin");
            z.setMethod(java.util.zip.ZipEntry.STORED);
            z.setSize(pad.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(pad);
            z.setCrc(crc.getValue());
            out.putNextEntry(z);
            out.write(pad);
            out.closeEntry();
        }
        return bos.toByteArray();
    }

    /** A bundle with nothing in it but its manifest: not a module. */
    static File plainBundle(File f) throws Exception {
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", "org.kmodel.itests.plain");
        File tmp = new File(f.getParentFile().getParentFile(), f.getName() + ".tmp");
        try (java.util.jar.JarOutputStream out =
                new java.util.jar.JarOutputStream(Files.newOutputStream(tmp.toPath()), mf)) {
            out.putNextEntry(new java.util.zip.ZipEntry("README"));
            out.write("plain".getBytes());
            out.closeEntry();
        }
        Files.move(tmp.toPath(), f.toPath(), StandardCopyOption.REPLACE_EXISTING);
        return f;
    }
}
