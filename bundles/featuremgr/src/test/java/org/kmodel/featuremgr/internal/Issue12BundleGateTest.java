package org.kmodel.featuremgr.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Issue 12, item 2: which installs the bundle gate trusts after boot. The whole path (FileInstall, Gogo's
 * reflective installBundle, felix:install, load/ at boot) runs end to end in Issue12ModulePolicyIT.
 */
class Issue12BundleGateTest {
    static Bundle bundle(long id, String bsn) {
        return (Bundle) Proxy.newProxyInstance(
                Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class}, (p, m, a) -> switch (m.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> bsn;
                    case "hashCode" -> (int) id;
                    case "equals" -> p == a[0];
                    default -> null;
                });
    }

    static BundleContext context(Bundle self) {
        return (BundleContext) Proxy.newProxyInstance(
                BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getBundle" -> self;
                    case "getBundles" ->
                        new Bundle[] {
                            bundle(0, "system"),
                            self,
                            bundle(20, "org.kmodel.module"),
                            bundle(21, "org.apache.felix.fileinstall"),
                            bundle(22, "org.apache.felix.gogo.runtime")
                        };
                    default -> null;
                });
    }

    private final Bundle self = bundle(9, "org.kmodel.featuremgr");
    private final BundleGate gate = new BundleGate(context(self), Path.of("/opt/kmodel/system"));

    @Test
    void theFeatureManagerIsTrustedOnlyInsideItsRepository() {
        assertTrue(gate.insideRepo("reference:file:/opt/kmodel/system/org/kmodel/x/1/x-1.jar"));
        assertFalse(gate.insideRepo("reference:file:/opt/kmodel/system/../../../tmp/evil.jar"));
        assertFalse(gate.insideRepo("reference:file:/opt/kmodel/systemx/evil.jar"));
        assertFalse(gate.insideRepo("http://example.org/evil.jar"));
        assertFalse(gate.insideRepo("file:/tmp/evil.jar"));
    }

    @Test
    void onlyTheLoaderAtKmoduleLocationsAndTheFeatureManagerInstallTrustedCode() throws Exception {
        java.lang.reflect.Method open = BundleGate.class.getDeclaredMethod("open");
        // open() registers a service on the (fake) context; the trusted set is what matters here
        open.setAccessible(true);
        open.invoke(gate);
        Bundle loader = bundle(20, "org.kmodel.module");
        Bundle fileinstall = bundle(21, "org.apache.felix.fileinstall");
        Bundle gogo = bundle(22, "org.apache.felix.gogo.runtime");
        assertTrue(gate.trustedInstall(loader, "kmodule:kmodel_oot"));
        assertTrue(gate.trustedInstall(self, "reference:file:/opt/kmodel/system/a/b/1/b-1.jar"));
        assertFalse(gate.trustedInstall(loader, "file:/tmp/x.jar"));
        assertFalse(gate.trustedInstall(fileinstall, "file:/state/load/x.jar"));
        assertFalse(gate.trustedInstall(gogo, "kmodule:forged"));
        assertFalse(gate.trustedInstall(bundle(0, "system"), "file:/tmp/x.jar"));
        assertFalse(gate.trustedInstall(null, "kmodule:x"));
        // a bundle updated in place loses its trust
        Bundle updated = bundle(20, "org.kmodel.module");
        assertTrue(gate.isTrusted(20));
        gate.bundleChanged(new org.osgi.framework.BundleEvent(org.osgi.framework.BundleEvent.UPDATED, updated));
        assertFalse(gate.isTrusted(20));
        assertFalse(gate.trustedInstall(loader, "kmodule:kmodel_oot"));
    }
}
