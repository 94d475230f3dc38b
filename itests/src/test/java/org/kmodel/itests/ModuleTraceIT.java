package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import org.ops4j.pax.exam.Option;

/**
 * Issue 5 acceptance, end to end with the module loader and the unsigned out-of-tree sample module
 * ({@code kmodel_oot}, declaring {@code kmodel_sample:sample_event}): what each release does with the
 * module's tracepoints (docs/tracing.md#the-2014-story). One subclass per release, one framework per test.
 */
public abstract class ModuleTraceIT extends TracefsTestSupport {
    static final String EVENT = "kmodel_sample:sample_event";
    static final String BAD_TAINT = "kmodel_oot: module has bad taint, not creating trace events";

    static Option[] release(String release) {
        return kernel(
                feature("module"),
                feature("trace"),
                hostFiles(),
                systemProperty("kmodel.home").value(DIST.getAbsolutePath()),
                frameworkProperty("kmodel.release").value(release));
    }

    /** A sample module of the distribution, through a hostfs mount (a command line names model paths only). */
    String ko(String release, String rel) throws Exception {
        return hostFile(new File(DIST, "lib/modules/" + release + ".0-kmodel/" + rel));
    }

    /**
     * A signed in-tree staging module declaring {@code kmodel_staging_tp:staging_event}: a bundle with only a
     * manifest, signed with the distribution's build key by the shell's sign-file, so its only taint is C. The
     * module is a host file the test wrote: sign-file signs it in place through a hostfs mount (its key and
     * certificate are host files by nature); returns the module's model path.
     */
    String signedStagingModuleWithTracepoint(String release) throws Exception {
        File dir = new File(WORK, getClass().getSimpleName());
        dir.mkdirs();
        File ko = new File(dir, "kmodel_staging_tp.ko");
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        java.util.jar.Attributes a = mf.getMainAttributes();
        a.putValue("Manifest-Version", "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.kmodel.itests.kmodel_staging_tp");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Kmodel-Module-Name", "kmodel_staging_tp");
        a.putValue("Kmodel-License", "GPL");
        a.putValue("Kmodel-Intree", "Y");
        a.putValue("Kmodel-Staging", "Y");
        a.putValue("Kmodel-Vermagic", release + ".0-kmodel SMP mod_unload");
        a.putValue("Kmodel-Tracepoints", "kmodel_staging_tp:staging_event(int n)");
        try (java.util.jar.JarOutputStream out =
                new java.util.jar.JarOutputStream(new java.io.FileOutputStream(ko), mf)) {
            // a manifest is all the module needs
        }
        File certs = new File(DIST, "certs");
        String model = hostFile(ko);
        gogo("sign-file sha256 " + new File(certs, "signing_key.pem").getAbsolutePath() + " "
                + new File(certs, "signing_key.x509").getAbsolutePath() + " " + model);
        return model;
    }

    String events() throws Exception {
        return read("/sys/kernel/tracing/available_events");
    }

    /** Loads the sample, enables its event and module_load/free through tracefs, fires it twice. */
    String loadAndFire(String release, String insmodFlags) throws Exception {
        write("/sys/kernel/tracing/set_event", "module:*");
        gogo("insmod " + insmodFlags + ko(release, "extra/kmodel_oot.ko"));
        if (events().contains(EVENT)) {
            write("/sys/kernel/tracing/events/kmodel_sample/sample_event/enable", "1");
        }
        return gogo("kmodel_oot:fire hello") + "\n" + gogo("kmodel_oot:fire again");
    }

    void assertTraced(boolean traced) throws Exception {
        String trace = gogo("trace-cmd show");
        assertTrue(trace, trace.contains("module_load: kmodel_oot "));
        assertEquals(trace, traced, trace.contains("sample_event: count=1 msg=hello"));
        assertEquals(trace, traced, trace.contains("sample_event: count=1 msg=again"));
    }

    void assertUnloadRemovesEventsAndClearsBuffer() throws Exception {
        gogo("rmmod kmodel_oot");
        assertFalse(events().contains(EVENT));
        assertTrue(readFails("/sys/kernel/tracing/events/kmodel_sample/sample_event/enable")
                .endsWith("No such file or directory"));
        String trace = gogo("trace-cmd show");
        assertFalse("buffer cleared at GOING: " + trace, trace.contains("sample_event:"));
        assertTrue(trace, trace.contains("module_free: kmodel_oot"));
    }
}
