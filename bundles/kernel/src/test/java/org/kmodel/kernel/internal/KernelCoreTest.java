package org.kmodel.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ProcFile;

/** The ring buffer, release profile, command line, /proc lookup and sysctl, without a framework. */
class KernelCoreTest {
    @Test
    void printkKeepsTheNewestAndFormatsLikeDmesg() {
        Printk log = new Printk(16);
        for (int i = 0; i < 20; i++) {
            log.info("line " + i + "\n");
        }
        List<KernelLog.Record> r = log.records();
        assertEquals(16, r.size());
        assertEquals("line 4", r.get(0).text);
        assertEquals(4, r.get(0).sequence);
        assertTrue(
                r.get(0).dmesgLine().matches("\\[ {4}0\\.\\d{6}\\] line 4"),
                r.get(0).dmesgLine());
        assertEquals(
                "[    1.234567] x", new KernelLog.Record(0, KernelLog.Level.INFO, 1_234_567_890L, "x").dmesgLine());
        assertEquals(
                "[12345.000001] x",
                new KernelLog.Record(0, KernelLog.Level.INFO, 12_345_000_001_000L, "x").dmesgLine());
        assertEquals("warn", KernelLog.Level.WARNING.dmesgName());
        assertEquals(4, KernelLog.Level.WARNING.number());
    }

    @Test
    void releaseFromPropertyWithFallback() {
        Printk log = new Printk(16);
        assertEquals(KernelRelease.V3_15, new Release((String) null, log).release());
        assertEquals(KernelRelease.V6_18, new Release("6.18", log).release());
        assertEquals(KernelRelease.V3_14, new Release("3.14.0-kmodel", log).release());
        assertEquals("3.15.0-kmodel", new Release("bogus", log).unameRelease());
        assertTrue(log.records().stream().anyMatch(x -> x.level == KernelLog.Level.ERR && x.text.contains("bogus")));
        assertTrue(new Release("3.15", log).procVersion().startsWith("Linux version 3.15.0-kmodel (kmodel@kmodel)"));
    }

    @Test
    void commandLineParsesKeyValueWords() {
        Map<String, String> p = CommandLine.parse("module.sig_enforce=1  quiet foo=\"a b\" sysctl.kernel.hostname=box");
        assertEquals("1", p.get("module.sig_enforce"));
        assertEquals("", p.get("quiet"));
        assertEquals("a b", p.get("foo"));
        CommandLine c = new CommandLine("module.sig_enforce=1 quiet");
        assertTrue(c.getBoolean("module.sig_enforce", false));
        assertTrue(c.getBoolean("quiet", false));
        assertEquals("x", c.get("none", "x"));
        assertThrows(KernelException.class, () -> new CommandLine("a=maybe").getBoolean("a", false));
    }

    @Test
    void procLookupExactBeatsPatternAndRankingBreaksTies() {
        ProcRoot proc = new ProcRoot();
        proc.add("/proc/*/maps", w -> "maps of " + w + "\n", 0, 1);
        proc.add("/proc/self/maps", w -> "self\n", 0, 2);
        proc.add("/proc/version", w -> "low\n", 0, 3);
        proc.add("/proc/version", w -> "high\n", 10, 4);
        assertEquals("maps of 42\n", proc.read("/proc/42/maps"));
        assertEquals("self\n", proc.read("/proc//self/maps/"));
        assertEquals("high\n", proc.read("/proc/version"));
        KernelException e = assertThrows(KernelException.class, () -> proc.read("/proc/nope"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("/proc/nope: No such file or directory", e.getMessage());
        e = assertThrows(KernelException.class, () -> proc.write("/proc/version", "x"));
        assertEquals(Errno.EACCES, e.errno());
    }

    @Test
    void sysctlOverProcSys() {
        ProcRoot proc = new ProcRoot();
        TaintState taint = new TaintState(KernelRelease.V3_15);
        proc.add(
                "/proc/sys/kernel/tainted",
                new ProcFile() {
                    @Override
                    public String read(String w) {
                        return taint.mask() + "\n";
                    }

                    @Override
                    public void write(String w, String content) {
                        taint.addMask(KernelProc.parseTainted(content));
                    }

                    @Override
                    public boolean writable() {
                        return true;
                    }
                },
                0,
                1);
        proc.add("/proc/sys/kernel/ostype", w -> "Linux\n", 0, 2);
        SysctlService sysctl = new SysctlService(proc);
        assertEquals("0", sysctl.read("kernel.tainted"));
        sysctl.write("kernel.tainted", "4609");
        assertEquals("4609", sysctl.read("kernel/tainted"));
        sysctl.write("kernel.tainted", "2");
        assertEquals("4611", sysctl.read("kernel.tainted"), "writes OR in, never clear");

        KernelException e = assertThrows(KernelException.class, () -> sysctl.read("kernel.nope"));
        assertEquals("cannot stat /proc/sys/kernel/nope: No such file or directory", e.getMessage());
        e = assertThrows(KernelException.class, () -> sysctl.write("kernel.nope", "1"));
        assertEquals(Errno.ENOENT, e.errno());
        e = assertThrows(KernelException.class, () -> sysctl.write("kernel.tainted", "abc"));
        assertEquals("setting key \"kernel.tainted\": Invalid argument", e.getMessage());
        e = assertThrows(KernelException.class, () -> sysctl.write("kernel.ostype", "BSD"));
        assertEquals(Errno.EACCES, e.errno());
        assertEquals("4611", sysctl.read("kernel.tainted"), "failed writes change nothing");
        assertEquals(Map.of("kernel.ostype", "Linux", "kernel.tainted", "4611"), sysctl.all());
    }
}
