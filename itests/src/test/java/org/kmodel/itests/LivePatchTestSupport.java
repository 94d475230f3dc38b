package org.kmodel.itests;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import org.kmodel.itests.support.KernelTestSupport;
import org.ops4j.pax.exam.Option;

/** Issue 10: the live patching feature with the module loader, one release per subclass. */
public abstract class LivePatchTestSupport extends KernelTestSupport {
    static Option[] release(String release, String cmdline) {
        return kernel(
                feature("module"),
                feature("livepatch"),
                feature("trace"),
                hostFiles(),
                systemProperty("kmodel.home").value(DIST.getAbsolutePath()),
                frameworkProperty("kmodel.release").value(release),
                frameworkProperty("kmodel.cmdline").value(cmdline));
    }

    /**
     * A sample patch module of the distribution: in-tree (signed) or extra (out of tree, unsigned), through a hostfs
     * mount (a command line names model paths only).
     */
    String ko(String release, String name) throws Exception {
        File intree = new File(DIST, "lib/modules/" + release + ".0-kmodel/kernel/drivers/kmodel/" + name + ".ko");
        File extra = new File(DIST, "lib/modules/" + release + ".0-kmodel/extra/" + name + ".ko");
        return hostFile(intree.isFile() ? intree : extra);
    }

    String read(String path) throws Exception {
        return gogo("cat " + path).strip();
    }

    /** A user task reading /proc/cmdline every 10 ms, parked inside cmdline_proc_show; returns its pid. */
    String parkedReader() throws Exception {
        String pid = gogo("ktask spawn reader").strip();
        String parked = gogo("ktask park " + pid + " cmdline_proc_show");
        if (!parked.contains("parked in")) {
            throw new AssertionError(parked);
        }
        return pid;
    }
}
