package org.kmodel.itests.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/**
 * Base class of kmodel's Pax Exam tests. A subclass writes
 * <pre>
 * &#64;RunWith(PaxExam.class) &#64;ExamReactorStrategy(PerClass.class)
 * public class MyIT extends KernelTestSupport {
 *     &#64;Configuration public Option[] config() { return kernel(feature("mm"), bundleOf("org.kmodel.mm")); }
 *     &#64;Test public void maps() throws Exception { assertEquals("...", gogo("maps 1")); }
 * }
 * </pre>
 * {@link #kernel(Option...)} boots the runtime of the distribution (SCR, ConfigAdmin, FileInstall, Gogo), the
 * feature manager and the {@code core} feature's bundles, all from {@code distribution/target/kmodel} by
 * {@code file:} URL. Every test then checks that every bundle is active or a resolved fragment, and that the
 * framework reported no error while it ran.
 */
public abstract class KernelTestSupport {
    /** The assembled distribution (set by failsafe). */
    public static final File DIST = new File(System.getProperty("kmodel.dist", "../distribution/target/kmodel"));
    /** Scratch space for tests: target/itest. */
    public static final File WORK = new File(System.getProperty("kmodel.itest.dir", "target/itest"));

    private static final String[] RUNTIME = {
        "org.osgi.util.function",
        "org.osgi.util.promise",
        "org.osgi.util.pushstream",
        "org.osgi.service.log",
        "org.osgi.service.component",
        "org.apache.felix.scr",
        "org.apache.felix.configadmin",
        "org.apache.felix.gogo.runtime",
        "org.apache.felix.gogo.command",
        "org.apache.felix.fileinstall"
    };

    @Inject
    protected BundleContext context;

    private final List<String> frameworkErrors = new CopyOnWriteArrayList<>();
    private final FrameworkListener errorCollector = event -> {
        if (event.getType() == FrameworkEvent.ERROR) {
            frameworkErrors.add(event.getBundle().getSymbolicName() + ": " + event.getThrowable());
        }
    };

    /** The runtime, the feature manager and the core feature, plus the extra options. */
    public static Option[] kernel(Option... extra) {
        List<Option> o = new ArrayList<>();
        o.add(junitBundles());
        o.add(cleanCaches(true));
        o.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        o.add(frameworkProperty("kmodel.features.dir").value(new File(DIST, "features").getAbsolutePath()));
        o.add(frameworkProperty("kmodel.repo.dir").value(new File(DIST, "system").getAbsolutePath()));
        o.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        o.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        o.add(frameworkProperty("felix.fileinstall.log.level").value("1"));
        for (String name : RUNTIME) {
            o.add(bundle(file("bundle/" + name + ".jar")));
        }
        o.add(bundle(file("boot/org.kmodel.featuremgr.jar")));
        o.add(feature("core"));
        // the vfs feature boots with core (kmodel.features.boot=core,vfs): cat and the file commands need it
        o.add(feature("vfs"));
        for (Option e : extra) {
            o.add(e);
        }
        return options(o.toArray(new Option[0]));
    }

    /** The bundles of features/NAME.json, installed directly (without the feature manager). */
    public static Option feature(String name) {
        List<Option> bundles = new ArrayList<>();
        for (String coordinates : featureBundles(name)) {
            bundles.add(bundle(systemJar(coordinates)));
        }
        return org.ops4j.pax.exam.CoreOptions.composite(bundles.toArray(new Option[0]));
    }

    /** hostfs, for {@link #hostFile(File)}: the one way a command line reaches a host file the test made. */
    public static Option hostFiles() {
        return feature("fs-hostfs");
    }

    /** Where {@link #hostFile(File)} mounts a host directory: {@code /mnt/host} followed by the host's path. */
    public static final String HOST_MOUNTS = "/mnt/host";

    /**
     * The model path of a host file (issue 11: {@code insmod}, {@code modinfo}, {@code kpatch load} and
     * {@code sign-file}'s module take model paths only; a host file is reached on purpose, through a hostfs mount).
     * Mounts the file's directory with {@code mount -t hostfs DIR /mnt/host/DIR} inside the model unless it is
     * mounted there already, and returns {@code /mnt/host/DIR/NAME}. The configuration needs {@link #hostFiles()}.
     */
    protected String hostFile(File file) throws Exception {
        File dir = file.getAbsoluteFile().toPath().normalize().toFile().getParentFile();
        String target = HOST_MOUNTS + dir.getPath();
        if (!gogo("mount").contains(" on " + target + " type hostfs")) {
            // the VFS learns about hostfs from the service registry, possibly a moment after the bundle started
            awaitGogo("cat /proc/filesystems", "hostfs");
            gogo("mkdir -p " + target);
            gogo("mount -t hostfs " + dir.getPath() + " " + target);
        }
        return target + "/" + file.getName();
    }

    /** A directory FileInstall watches, unique to the test class; created empty. */
    public static Option hotDeployDir(File dir) {
        dir.mkdirs();
        for (File f : dir.listFiles()) {
            f.delete();
        }
        return frameworkProperty("felix.fileinstall.dir").value(dir.getAbsolutePath());
    }

    /** The Maven coordinates of the bundles a feature file names. */
    public static List<String> featureBundles(String name) {
        String json;
        try {
            json = Files.readString(new File(DIST, "features/" + name + ".json").toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no feature " + name + " in " + DIST + " (build the distribution first)", e);
        }
        int start = json.indexOf("\"bundles\"");
        int end = json.indexOf(']', start);
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(json.substring(start, end));
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** file: URL of a bundle in the distribution's system/ repository, from g:a:v. */
    public static String systemJar(String coordinates) {
        String[] p = coordinates.split(":");
        String path = p[0].replace('.', '/') + "/" + p[1] + "/" + p[p.length - 1] + "/" + p[1] + "-" + p[p.length - 1]
                + ".jar";
        return file("system/" + path);
    }

    /** file: URL of a file of the distribution; fails early if the distribution lacks it. */
    public static String file(String relative) {
        File f = new File(DIST, relative);
        if (!f.isFile()) {
            throw new IllegalStateException("missing " + f + " (run mvn verify from the repository root)");
        }
        return f.toURI().toString();
    }

    @Before
    public void checkBundlesAndWatchFramework() {
        context.addFrameworkListener(errorCollector);
        List<String> bad = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            int want = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != want) {
                bad.add(b.getSymbolicName() + " is " + state(b.getState()));
            }
        }
        if (!bad.isEmpty()) {
            throw new AssertionError("bundles not started: " + bad);
        }
    }

    @After
    public void noFrameworkErrors() {
        context.removeFrameworkListener(errorCollector);
        if (!frameworkErrors.isEmpty()) {
            throw new AssertionError("framework errors: " + frameworkErrors);
        }
    }

    /** Runs a Gogo command; see {@link Gogo#run}. */
    protected String gogo(String command) throws Exception {
        return Gogo.run(context, command);
    }

    /** Runs a Gogo command that must fail; returns the message. */
    protected String gogoFails(String command) throws Exception {
        return Gogo.fail(context, command);
    }

    /** Waits (up to 10 s) until the command prints the text. */
    protected String awaitGogo(String command, String expected) throws Exception {
        return Gogo.await(context, command, expected);
    }

    /** Sleeps in small steps until the condition holds (10 s at most). */
    protected static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    /** The bundle with this symbolic name, or null. */
    protected Bundle installedBundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private static String state(int s) {
        switch (s) {
            case Bundle.INSTALLED:
                return "INSTALLED (unresolved)";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            case Bundle.ACTIVE:
                return "ACTIVE";
            default:
                return "UNINSTALLED";
        }
    }
}
