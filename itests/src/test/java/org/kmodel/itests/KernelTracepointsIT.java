package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.itests.support.TestBundle;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Issue 5, tracepoints in the kernel itself: kmodel:vfs_fallocate_enter/exit fired by the VFS around the
 * filesystem's fallocate, and module:module_get/module_put fired by the module loader where a refcount
 * changes, recorded through trace-cmd.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KernelTracepointsIT extends TracefsTestSupport {
    @Configuration
    public Option[] config() {
        return kernel(
                feature("module"),
                feature("trace"),
                hostFiles(),
                systemProperty("kmodel.home").value(DIST.getAbsolutePath()));
    }

    @Before
    public void resetTracing() throws Exception {
        gogo("trace-cmd reset");
    }

    private static List<String> lines(String trace, String event) {
        return Arrays.stream(trace.split("\n"))
                .filter(l -> l.contains(" " + event + ": "))
                .toList();
    }

    @Test
    public void fallocateOnTmpfsIsTracedWithRetZeroOrMinusEopnotsupp() throws Exception {
        gogo("trace-cmd start -e kmodel:vfs_fallocate_enter -e kmodel:vfs_fallocate_exit");
        gogo("write /tmp/f hello");
        gogo("fallocate -l 8192 /tmp/f");
        String err = gogoFails("fallocate -c -o 0 -l 4096 /tmp/f");
        assertTrue(err, err.contains("Operation not supported"));
        String trace = gogo("trace-cmd show");
        Matcher st = Pattern.compile("Device: (\\d+),(\\d+)\\s+Inode: (\\d+)").matcher(gogo("stat /tmp/f"));
        assertTrue(st.find());
        String file = "dev " + st.group(1) + ":" + st.group(2) + " ino " + st.group(3);
        assertEquals(
                trace,
                List.of(file + " mode 0x0 offset 0 len 8192", file + " mode 0x8 offset 0 len 4096"),
                lines(trace, "vfs_fallocate_enter").stream()
                        .map(KernelTracepointsIT::text)
                        .toList());
        assertEquals(
                trace,
                List.of(file + " mode 0x0 offset 0 len 8192 ret 0", file + " mode 0x8 offset 0 len 4096 ret -95"),
                lines(trace, "vfs_fallocate_exit").stream()
                        .map(KernelTracepointsIT::text)
                        .toList());
        // each exit follows its enter
        List<String> order = Arrays.stream(trace.split("\n"))
                .filter(l -> l.contains("vfs_fallocate_"))
                .map(l -> l.contains("_enter:") ? "enter" : "exit")
                .toList();
        assertEquals(List.of("enter", "exit", "enter", "exit"), order);

        gogo("trace-cmd reset");
        gogo("fallocate -l 16384 /tmp/f");
        assertFalse(gogo("trace-cmd show").contains("vfs_fallocate"));
    }

    @Test
    public void aMountOfAFilesystemFromAModuleHoldsAReferenceUntilUmount() throws Exception {
        File ko = new TestBundle("org.kmodel.itests.kmodel_modtmpfs")
                .header("Kmodel-Module-Name", "kmodel_modtmpfs")
                .header("Kmodel-License", "GPL")
                .header("Kmodel-Vermagic", "3.15.0-kmodel SMP mod_unload")
                .importPackage("org.kmodel.kernel;version=\"[1.0,2)\",org.kmodel.vfs.spi;version=\"[1.0,2)\","
                        + "org.osgi.framework")
                .add("org.kmodel.itests.ModuleTmpfs")
                .component(
                        "modtmpfs",
                        "org.kmodel.itests.ModuleTmpfs",
                        "org.kmodel.vfs.spi.FileSystemType",
                        "kmodel.fs.type=modtmpfs")
                .write(new File(WORK, "KernelTracepointsIT/kmodel_modtmpfs.ko"));
        gogo("insmod " + hostFile(ko));
        awaitGogo("cat /proc/filesystems", "modtmpfs");
        gogo("trace-cmd start -e module:module_get -e module:module_put");
        gogo("mkdir -p /mnt/m");
        gogo("mount -t modtmpfs none /mnt/m");
        String trace = gogo("trace-cmd show");
        assertTrue(trace, trace.contains("module_get: kmodel_modtmpfs call_site=get_fs_type refcnt=2"));
        String busy = gogoFails("rmmod kmodel_modtmpfs");
        assertTrue(busy, busy.contains("in use"));
        gogo("umount /mnt/m");
        trace = gogo("trace-cmd show");
        assertTrue(trace, trace.contains("module_put: kmodel_modtmpfs call_site=put_filesystem refcnt=1"));
        gogo("rmmod kmodel_modtmpfs");
    }

    private static String text(String line) {
        return line.substring(line.indexOf(": ", line.indexOf("vfs_fallocate_")) + 2)
                .trim();
    }

    @Test
    public void modprobeOfADependentModuleAndRmmodTraceTheExportersReference() throws Exception {
        gogo("trace-cmd start -e module:module_get -e module:module_put");
        gogo("modprobe kmodel_dep");
        assertTrue(gogo("lsmod"), gogo("lsmod").matches("(?s).*kmodel_core\\s+\\d+\\s+1 kmodel_dep.*"));
        String trace = gogo("trace-cmd show");
        assertEquals(trace, 1, lines(trace, "module_get").size());
        assertTrue(trace, trace.contains("module_get: kmodel_core call_site=ref_module refcnt=2"));
        assertTrue(trace, lines(trace, "module_put").isEmpty());
        gogo("rmmod kmodel_dep");
        trace = gogo("trace-cmd show");
        assertTrue(trace, trace.contains("module_put: kmodel_core call_site=module_unload_free refcnt=1"));
        gogo("rmmod kmodel_core");
        assertEquals(1, lines(gogo("trace-cmd show"), "module_put").size());
    }
}
