package org.kmodel.module.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.Taint;
import org.kmodel.kernel.testing.TestKernel;
import org.kmodel.module.KernelModule;
import org.kmodel.module.ModuleNotifier;
import org.kmodel.module.ModuleSignatureVerifier;
import org.kmodel.module.ModuleSigner;
import org.kmodel.module.ModuleState;
import org.kmodel.module.sig.testing.TestModuleSig;
import org.kmodel.testing.Fakes;

/** A loader with real taint state, real verifier and keyring, a log that records, and fake bundles. */
final class Fixture {
    static final TestModuleSig.Key TRUSTED = TestModuleSig.generateKey("Model kernel test signing key", 2048);
    static final TestModuleSig.Key OTHER = TestModuleSig.generateKey("Unknown key", 2048);

    final KernelRelease release;
    final Taint taint;
    final Fakes.Log log = new Fakes.Log();
    final FakeCode code = new FakeCode();
    final List<String> events = new ArrayList<>();
    final ModuleLoaderCore core;

    Fixture(KernelRelease release) {
        this.release = release;
        this.taint = TestKernel.taint(Fakes.release(release));
        ModuleSignatureVerifier verifier = TestModuleSig.verifier(TestModuleSig.keyring(TRUSTED.der()));
        ModuleNotifier recorder = (m, s) -> events.add(m.name() + ":" + s + ":" + letters(m));
        this.core = new ModuleLoaderCore(release, taint, log, () -> verifier, () -> List.of(recorder), code);
    }

    private String letters(KernelModule m) {
        return taint.moduleFlags(m.taints(), false, false);
    }

    /** A module jar with the given manifest headers (name/value pairs) and one class-less entry. */
    static byte[] jar(String name, String... headers) {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.kmodel.sample." + name);
        a.putValue("Kmodel-Module-Name", name);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            a.putValue(headers[i], headers[i + 1]);
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bos, mf)) {
            out.putNextEntry(new ZipEntry("README"));
            out.write(("module " + name).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bos.toByteArray();
    }

    String vermagic() {
        return ModinfoCheck.vermagic(release);
    }

    /** An in-tree GPL module with the right vermagic. */
    byte[] clean(String name, String... more) {
        String[] h = new String[6 + more.length];
        h[0] = "Kmodel-License";
        h[1] = "GPL";
        h[2] = "Kmodel-Intree";
        h[3] = "Y";
        h[4] = "Kmodel-Vermagic";
        h[5] = vermagic();
        System.arraycopy(more, 0, h, 6, more.length);
        return jar(name, h);
    }

    /** Signs in the form the release reads. */
    byte[] sign(byte[] module, TestModuleSig.Key key) {
        ModuleSigner.Form form = release.atLeast(4, 3) ? ModuleSigner.Form.PKCS7 : ModuleSigner.Form.X509;
        return key.sign(module, form);
    }

    KernelModule load(byte[] image, boolean force, String... params) {
        return core.load(image, "test.ko", force, List.of(params));
    }

    Errno fail(byte[] image, boolean force) {
        try {
            core.load(image, "test.ko", force, List.of());
        } catch (KernelException e) {
            return e.errno();
        }
        throw new AssertionError("load succeeded");
    }

    Errno failRmmod(String name, boolean force) {
        try {
            core.delete(name, force);
        } catch (KernelException e) {
            return e.errno();
        }
        throw new AssertionError("rmmod succeeded");
    }

    /** Module letters without parentheses. */
    String flags(String name) {
        KernelModule m = core.find(name);
        String f = taint.moduleFlags(m.taints(), m.state() == ModuleState.COMING, m.state() == ModuleState.GOING);
        return f.isEmpty() ? "" : f.substring(1, f.length() - 1);
    }

    /** Bundles as ids; a module whose manifest says {@code Test-Init-Errno} fails its init. */
    static final class FakeCode implements ModuleCode {
        final Map<Long, String> installed = new HashMap<>();
        final Set<Long> started = new HashSet<>();
        final Map<String, Errno> initFails = new HashMap<>();
        private long next = 100;

        @Override
        public long install(String name, byte[] payload) {
            installed.put(next, name);
            return next++;
        }

        @Override
        public void resolve(long id) {}

        @Override
        public void start(long id) {
            Errno e = initFails.get(installed.get(id));
            if (e != null) {
                throw new KernelException(e, "init failed");
            }
            started.add(id);
        }

        @Override
        public void stop(long id) {
            started.remove(id);
        }

        @Override
        public void uninstall(long id) {
            installed.remove(id);
        }
    }
}
