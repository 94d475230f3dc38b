package org.kmodel.shell.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.KernelRelease;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.Sysctl;
import org.kmodel.kernel.Taint;
import org.kmodel.kernel.TaintFlag;

/** Argument parsing and output formats of uname, sysctl, dmesg and taint over in-memory services. */
class KernelCommandsTest {
    private final TreeMap<String, String> sysctls = new TreeMap<>();
    private final List<KernelLog.Record> records = new ArrayList<>();
    private long mask;

    private final KernelCommands cmd = new KernelCommands(
            new ReleaseProfile() {
                @Override
                public KernelRelease release() {
                    return KernelRelease.V3_15;
                }

                @Override
                public String unameVersion() {
                    return "#1 SMP kmodel";
                }

                @Override
                public String procVersion() {
                    return "Linux version 3.15.0-kmodel";
                }
            },
            new KernelLog() {
                @Override
                public void printk(Level level, String text) {
                    records.add(new Record(records.size(), level, 1_500_000L * records.size(), text));
                }

                @Override
                public List<Record> records() {
                    return records;
                }

                @Override
                public long nanosSinceBoot() {
                    return 0;
                }
            },
            new Sysctl() {
                @Override
                public String read(String key) {
                    String v = sysctls.get(Sysctl.key(Sysctl.path(key)));
                    if (v == null) {
                        throw new KernelException(Errno.ENOENT, "cannot stat " + Sysctl.path(key));
                    }
                    return v;
                }

                @Override
                public void write(String key, String value) {
                    read(key);
                    sysctls.put(Sysctl.key(Sysctl.path(key)), value);
                }

                @Override
                public SortedMap<String, String> all() {
                    return sysctls;
                }
            },
            new Taint() {
                @Override
                public long mask() {
                    return mask;
                }

                @Override
                public boolean isSet(TaintFlag flag) {
                    return (mask & flag.mask()) != 0;
                }

                @Override
                public Set<TaintFlag> flags() {
                    return TaintFlag.decode(mask);
                }

                @Override
                public void add(TaintFlag flag) {
                    mask |= flag.mask();
                }

                @Override
                public void addMask(long m) {
                    mask |= m;
                }

                @Override
                public String tainted() {
                    return mask == 0 ? "Not tainted" : "Tainted: ...";
                }

                @Override
                public List<String> chktaint(long m) {
                    return List.of("decoded " + m);
                }

                @Override
                public String moduleFlags(long m, boolean coming, boolean going) {
                    return "";
                }
            });

    KernelCommandsTest() {
        sysctls.put("kernel.hostname", "kmodel");
        sysctls.put("kernel.tainted", "0");
    }

    @Test
    void unameLikeCoreutils() {
        assertEquals("Linux", cmd.uname());
        assertEquals("3.15.0-kmodel", cmd.uname("-r"));
        assertEquals("Linux 3.15.0-kmodel", cmd.uname("-sr"));
        assertEquals("kmodel 3.15.0-kmodel", cmd.uname("-r", "-n"));
        assertTrue(cmd.uname("-a").matches("Linux kmodel 3\\.15\\.0-kmodel #1 SMP kmodel \\S+ GNU/Linux"));
        KernelException e = assertThrows(KernelException.class, () -> cmd.uname("-x"));
        assertEquals("invalid option -- 'x': Invalid argument", e.getMessage());
        e = assertThrows(KernelException.class, () -> cmd.uname("--bogus"));
        assertEquals("unrecognized option '--bogus': Invalid argument", e.getMessage());
    }

    @Test
    void sysctlLikeProcps() {
        assertEquals("kernel.hostname = kmodel", cmd.sysctl("kernel.hostname"));
        assertEquals("kmodel", cmd.sysctl("-n", "kernel/hostname"));
        assertEquals("kernel.hostname = box", cmd.sysctl("-w", "kernel.hostname=box"));
        assertEquals("kernel.hostname = b2", cmd.sysctl("kernel.hostname=b2"));
        assertEquals("", cmd.sysctl("-q", "kernel.hostname=b3"));
        assertEquals("kernel.hostname = b3\nkernel.tainted = 0", cmd.sysctl("-a"));
        assertEquals(
                "cannot stat /proc/sys/kernel/nope: No such file or directory",
                assertThrows(KernelException.class, () -> cmd.sysctl("kernel.nope"))
                        .getMessage());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd.sysctl("-w", "kernel.hostname"))
                        .errno());
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd.sysctl()).errno());
    }

    @Test
    void dmesgFormats() {
        records.add(new KernelLog.Record(0, KernelLog.Level.NOTICE, 0, "Linux version 3.15.0-kmodel"));
        records.add(new KernelLog.Record(1, KernelLog.Level.WARNING, 1_234_567_000L, "careful"));
        assertEquals("[    0.000000] Linux version 3.15.0-kmodel\n[    1.234567] careful", cmd.dmesg());
        assertEquals("<5>[    0.000000] Linux version 3.15.0-kmodel\n<4>[    1.234567] careful", cmd.dmesg("-r"));
        assertEquals("careful", cmd.dmesg("-t", "-l", "warn"));
        assertEquals("kern  :warn  : [    1.234567] careful", cmd.dmesg("-x", "--level", "warn"));
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd.dmesg("-l", "loud"))
                        .errno());
        assertEquals("careful", cmd.dmesg("-t", "--level=warn"));
        String human = cmd.dmesg("-H");
        assertTrue(
                human.matches(
                        "\\[[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d\\] Linux version 3.15.0-kmodel\n\\[   \\+1\\.234567\\] careful"),
                human);
    }

    @Test
    void taintTableAndAdd() {
        TaintReport clean = cmd.taint();
        assertEquals(0, clean.mask());
        assertEquals("Not tainted", clean.tainted());
        assertTrue(!clean.json());
        // the one layout test of the taint table: the text the shell's converter prints for the record
        String table = String.valueOf(new org.kmodel.shell.internal.ShellConverter().format(clean, 0, null));
        assertTrue(table.startsWith("Bit  Log  Number  Name"), table);
        assertEquals(14 + 3, table.split("\n").length, "header, 14 flags of 3.15, value line, Tainted: line");
        assertTrue(table.endsWith("Not tainted"));
        assertEquals(table, clean.toString());
        TaintReport added = cmd.taint("-a", "U", "TAINT_WARN");
        assertEquals(TaintFlag.USER.mask() | TaintFlag.WARN.mask(), mask);
        assertEquals(TaintFlag.USER.mask() | TaintFlag.WARN.mask(), added.mask());
        assertEquals(TaintFlag.USER.mask() | TaintFlag.WARN.mask(), cmd.taint().mask());
        assertTrue(cmd.taint("--json").json());
        KernelException e = assertThrows(KernelException.class, () -> cmd.taint("-a", "Q"));
        assertEquals("unknown taint flag 'Q': Invalid argument", e.getMessage());
        assertEquals("decoded 4609", cmd.chktaint("4609"));
        assertEquals(
                Errno.EINVAL,
                assertThrows(KernelException.class, () -> cmd.chktaint("x")).errno());
    }
}
