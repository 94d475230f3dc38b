package org.kmodel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/** Upstream livepatch (6.18 profile): the sample, sysfs, taint K, a parked task, force, bad input. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LivePatch618IT extends LivePatchTestSupport {
    static final String DIR = "/sys/kernel/livepatch/livepatch_sample/";

    @Configuration
    public Option[] config() {
        return release("6.18", "quiet");
    }

    @Test
    public void sampleRedirectsCmdlineAndSysfsShowsIt() throws Exception {
        assertEquals("livepatch", gogo("klp engine").strip());
        assertEquals("quiet", read("/proc/cmdline"));
        assertEquals(
                "klp_init: /sys/kernel/livepatch exists, empty",
                "",
                gogo("ls /sys/kernel/livepatch").strip());
        gogo("insmod " + ko("6.18", "livepatch_sample"));
        assertEquals("livepatch_sample", gogo("ls /sys/kernel/livepatch").strip());
        assertEquals(
                "cmdline_proc_show,1\npatched",
                gogo("ls /sys/kernel/livepatch/livepatch_sample/vmlinux").strip());
        assertEquals(
                "a func kobject has no attributes",
                "",
                gogo("ls /sys/kernel/livepatch/livepatch_sample/vmlinux/cmdline_proc_show,1")
                        .strip());
        assertEquals("this has been live patched", read("/proc/cmdline"));
        assertEquals("1", read(DIR + "enabled"));
        assertEquals("0", read(DIR + "transition"));
        assertEquals("0", read(DIR + "replace"));
        assertEquals("1", read(DIR + "vmlinux/patched"));
        assertTrue(read("/proc/modules"), read("/proc/modules").contains("(K)"));
        assertEquals("32768", read("/proc/sys/kernel/tainted"));
        String dmesg = gogo("dmesg");
        assertTrue(dmesg, dmesg.contains("livepatch_sample: tainting kernel with TAINT_LIVEPATCH"));
        assertTrue(dmesg, dmesg.contains("livepatch: 'livepatch_sample': patching complete"));
        assertEquals(
                "kmod's check_module_inuse: EBUSY",
                "ERROR: Module livepatch_sample is in use: Device or resource busy",
                gogoFails("rmmod livepatch_sample").strip());
        assertTrue(read("/proc/modules").contains("livepatch_sample"));
        gogo("write " + DIR + "enabled 0");
        await("unpatched", () -> {
            try {
                return read("/proc/cmdline").equals("quiet");
            } catch (Exception e) {
                return false;
            }
        });
        gogo("rmmod livepatch_sample");
        assertFalse(read("/proc/modules").contains("livepatch_sample"));
    }

    @Test
    public void transitionStaysUntilTheParkedTaskWakesAndForceMakesTheModulePermanent() throws Exception {
        String pid = parkedReader();
        assertTrue(
                read("/proc/" + pid + "/stack"), read("/proc/" + pid + "/stack").contains("cmdline_proc_show"));
        gogo("insmod " + ko("6.18", "livepatch_sample"));
        Thread.sleep(300);
        assertEquals("1", read(DIR + "transition"));
        assertEquals("0", read("/proc/" + pid + "/patch_state"));
        String busy = gogoFails("insmod " + ko("6.18", "livepatch_mangled_sig"));
        assertTrue(busy, busy.endsWith("Device or resource busy"));
        assertFalse("the refused patch module is gone", read("/proc/modules").contains("livepatch_mangled_sig"));
        gogo("write " + DIR + "force 1");
        assertEquals("0", read(DIR + "transition"));
        assertTrue(gogo("dmesg").contains("livepatch: forcing remaining tasks to the patched state"));
        gogo("ktask wake " + pid);
        gogo("write " + DIR + "enabled 0");
        awaitGogo("klp", "engine: livepatch");
        await("freed", () -> {
            try {
                return !gogo("klp").contains("livepatch_sample");
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(
                "a forced patch module can never be removed",
                gogoFails("rmmod livepatch_sample").endsWith("is in use: Device or resource busy"));
        gogo("ktask kill " + pid);
    }

    @Test
    public void functionTracerTracesTheFilteredFunctionsOnly() throws Exception {
        String t = "/sys/kernel/tracing/";
        awaitGogo("cat " + t + "available_filter_functions", "cmdline_proc_show");
        gogo("write " + t + "set_ftrace_filter cmdline_proc_show");
        gogo("append " + t + "set_ftrace_filter 'proc_*'");
        assertEquals("cmdline_proc_show\nproc_taint", read(t + "set_ftrace_filter"));
        gogo("write " + t + "current_tracer function");
        read("/proc/cmdline");
        String trace = read(t + "trace");
        assertTrue(trace, trace.startsWith("# tracer: function\n"));
        assertTrue(trace, trace.contains(": cmdline_proc_show <-seq_read_iter"));
        gogo("write " + t + "current_tracer function_graph");
        read("/proc/cmdline");
        trace = read(t + "trace");
        assertTrue(
                trace,
                trace.startsWith("# tracer: function_graph\n#\n# CPU  DURATION                  FUNCTION CALLS\n"));
        assertTrue(
                trace,
                java.util.regex.Pattern.compile("(?m)^ +\\d+\\) . +\\d+\\.\\d+ us +\\|  cmdline_proc_show\\(\\);$")
                        .matcher(trace)
                        .find());
        assertTrue(gogoFails("write " + t + "set_ftrace_filter nosuch_function").endsWith("Invalid argument"));
        assertEquals("cmdline_proc_show\nproc_taint", read(t + "set_ftrace_filter"));
        gogo("write " + t + "current_tracer nop");
    }

    @Test
    public void badInputIsOneLineAndChangesNothing() throws Exception {
        String notPatch = gogoFails("write /sys/kernel/livepatch/nope/enabled 0");
        assertTrue(notPatch, notPatch.contains("No such file or directory"));
        gogo("insmod " + ko("6.18", "livepatch_sample"));
        assertTrue(gogoFails("write " + DIR + "enabled 1").endsWith("Invalid argument"));
        assertTrue(gogoFails("write " + DIR + "force 1").endsWith("Invalid argument"));
        assertTrue(gogoFails("write " + DIR + "enabled maybe").endsWith("Invalid argument"));
        assertEquals("1", read(DIR + "enabled"));
        assertTrue(gogoFails("klp engine kpatch").endsWith("Device or resource busy"));
    }
}
