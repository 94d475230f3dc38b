package org.kmodel.shell.internal.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.Sysctl;
import org.kmodel.kernel.Taint;
import org.kmodel.kernel.TaintFlag;
import org.kmodel.shell.internal.Getopt;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The kernel core's tools: coreutils {@code uname}, util-linux {@code dmesg}, procps {@code sysctl}, taint. */
@Component(
        service = KernelCommands.class,
        property = {
            "osgi.command.scope=kernel",
            "osgi.command.function=uname",
            "osgi.command.function=dmesg",
            "osgi.command.function=sysctl",
            "osgi.command.function=taint",
            "osgi.command.function=chktaint"
        })
public class KernelCommands {
    private final ReleaseProfile profile;
    private final KernelLog log;
    private final Sysctl sysctl;
    private final Taint taint;

    @Activate
    public KernelCommands(
            @Reference ReleaseProfile profile,
            @Reference KernelLog log,
            @Reference Sysctl sysctl,
            @Reference Taint taint) {
        this.profile = profile;
        this.log = log;
        this.sysctl = sysctl;
        this.taint = taint;
    }

    @Descriptor("print system information: -s kernel name (default), -n node name, -r kernel release, "
            + "-v kernel version, -m machine, -o operating system, -a all")
    public String uname(@Descriptor("options: -a -s -n -r -v -m -o") String... args) {
        Getopt o = Getopt.of(
                        "asnrvmpio",
                        "all=a",
                        "kernel-name=s",
                        "nodename=n",
                        "kernel-release=r",
                        "kernel-version=v",
                        "machine=m",
                        "operating-system=o")
                .numbersAreOptions()
                .run(args);
        o.needInline(0, 0, "uname [-asnrvmo]");
        boolean all = o.has('a');
        List<String> out = new ArrayList<>();
        if (all || o.has('s') || o.none()) {
            out.add("Linux");
        }
        if (all || o.has('n')) {
            out.add(sysctl.read("kernel.hostname"));
        }
        if (all || o.has('r')) {
            out.add(profile.unameRelease());
        }
        if (all || o.has('v')) {
            out.add(profile.unameVersion());
        }
        if (all || o.has('m')) {
            out.add(machine());
        }
        if (o.has('p')) {
            out.add(machine());
        }
        if (o.has('i')) {
            out.add(machine());
        }
        if (all || o.has('o')) {
            out.add("GNU/Linux");
        }
        return String.join(" ", out);
    }

    static String machine() {
        String arch = System.getProperty("os.arch", "x86_64");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    @Descriptor("print the kernel ring buffer: -r raw <level> prefixes, -t no timestamps, -x decode levels, "
            + "-l LIST only these levels (emerg,alert,crit,err,warn,notice,info,debug)")
    public String dmesg(@Descriptor("options: -r -t -x -H -l|--level LEVELS") String... args) {
        Getopt o = Getopt.of("rtxHl:", "raw=r", "notime=t", "decode=x", "human=H", "level=l")
                .numbersAreOptions()
                .run(args);
        o.needInline(0, 0, "dmesg [-rtxH] [-l levels]");
        List<KernelLog.Level> wanted = parseLevels(o.value('l'));
        StringBuilder sb = new StringBuilder();
        long previous = -1;
        for (KernelLog.Record r : log.records()) {
            if (!wanted.contains(r.level)) {
                continue;
            }
            if (o.has('r')) {
                sb.append('<').append(r.level.number()).append('>');
            } else if (o.has('x')) {
                sb.append(String.format(Locale.ROOT, "kern  :%-6s: ", r.level.dmesgName()));
            }
            if (o.has('H') && !o.has('t')) {
                // util-linux --human: the first message with its wall-clock minute, then deltas ("reltime")
                sb.append(
                                previous < 0
                                        ? humanTime(r.nanos)
                                        : String.format(
                                                Locale.ROOT,
                                                "[%+5d.%06d] ",
                                                (r.nanos - previous) / 1_000_000_000L,
                                                (r.nanos - previous) / 1000 % 1_000_000))
                        .append(r.text)
                        .append('\n');
                previous = r.nanos;
                continue;
            }
            sb.append(o.has('t') ? r.text : r.dmesgLine()).append('\n');
        }
        return strip(sb.toString());
    }

    /** "[Dec  3 23:08] ": boot time (now minus the model's uptime) plus the message's time since boot. */
    private static String humanTime(long nanos) {
        long bootMillis = System.currentTimeMillis()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        java.time.ZonedDateTime t =
                java.time.Instant.ofEpochMilli(bootMillis + nanos / 1_000_000).atZone(java.time.ZoneId.systemDefault());
        return "["
                + java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ROOT)
                        .format(t) + "] ";
    }

    private static List<KernelLog.Level> parseLevels(String list) {
        if (list == null) {
            return List.of(KernelLog.Level.values());
        }
        List<KernelLog.Level> out = new ArrayList<>();
        for (String name : list.split(",")) {
            KernelLog.Level found = null;
            for (KernelLog.Level l : KernelLog.Level.values()) {
                if (l.dmesgName().equals(name.trim())) {
                    found = l;
                }
            }
            if (found == null) {
                throw new KernelException(Errno.EINVAL, "unknown level '" + name + "'");
            }
            out.add(found);
        }
        return out;
    }

    @Descriptor("read or write kernel parameters: sysctl KEY, sysctl -n KEY (value only), sysctl -a (all), "
            + "sysctl [-w] KEY=VALUE (write), -q quiet")
    public String sysctl(@Descriptor("options -a -n -w -q, then KEY or KEY=VALUE ...") String... args) {
        Getopt o = Getopt.of("anwqeA", "all=a", "values=n", "write=w", "quiet=q")
                .numbersAreOptions()
                .run(args);
        boolean valuesOnly = o.has('n');
        StringBuilder sb = new StringBuilder();
        if (o.has('a') || o.has('A')) {
            for (Map.Entry<String, String> e : sysctl.all().entrySet()) {
                sb.append(line(e.getKey(), e.getValue(), valuesOnly));
            }
            return strip(sb.toString());
        }
        if (o.operands().isEmpty()) {
            throw new KernelException(
                    Errno.EINVAL, "no variables specified (usage: sysctl [-n] [-w] KEY[=VALUE]... | -a)");
        }
        for (String arg : o.operands()) {
            int eq = arg.indexOf('=');
            if (eq >= 0 || o.has('w')) {
                if (eq <= 0) {
                    throw new KernelException(Errno.EINVAL, "\"" + arg + "\" must be of the form name=value");
                }
                String key = arg.substring(0, eq).trim();
                String value = arg.substring(eq + 1).trim();
                sysctl.write(key, value);
                if (!o.has('q')) {
                    sb.append(line(Sysctl.key(Sysctl.path(key)), value, valuesOnly));
                }
            } else {
                sb.append(line(Sysctl.key(Sysctl.path(arg)), sysctl.read(arg), valuesOnly));
            }
        }
        return strip(sb.toString());
    }

    private static String line(String key, String value, boolean valuesOnly) {
        return (valuesOnly ? value : key + " = " + value) + "\n";
    }

    @Descriptor("show the taint table of the running release (bit, value, letter, name, set or clear, release it "
            + "appeared in) and the Tainted: string; taint -a FLAG... adds flags by letter or name (add-only)")
    public TaintReport taint(@Descriptor("-a FLAG... to add taint flags, e.g. -a U or -a TAINT_USER") String... args) {
        Getopt o = Getopt.of("a", "add=a", "json").numbersAreOptions().run(args);
        if (o.has("json") && !o.has('a')) {
            o.needInline(0, 0, "taint --json");
            return new TaintReport(profile.release(), taint.mask(), taint.tainted(), true);
        }
        if (o.has('a')) {
            o.needInline(1, Integer.MAX_VALUE, "taint -a FLAG...");
            List<TaintFlag> add = new ArrayList<>();
            for (String name : o.operands()) {
                TaintFlag f = flag(name);
                if (!f.existsIn(profile.release())) {
                    // checked for all flags first: a refused command sets none of them
                    throw new KernelException(
                            Errno.EINVAL,
                            "taint " + f.letter() + " (" + f.kernelName() + ") does not exist in "
                                    + profile.release().version());
                }
                add.add(f);
            }
            for (TaintFlag f : add) {
                taint.add(f);
            }
        } else {
            o.needInline(0, 0, "taint [-a FLAG...]");
        }
        return new TaintReport(profile.release(), taint.mask(), taint.tainted(), false);
    }

    @Descriptor("decode a taint value like tools/debugging/kernel-chktaint (default: the running kernel's)")
    public String chktaint(@Descriptor("optional taint value, e.g. 4609") String... args) {
        Getopt o = Getopt.of("").numbersAreOptions().run(args).needInline(0, 1, "chktaint [VALUE]");
        long mask = taint.mask();
        if (!o.operands().isEmpty()) {
            try {
                mask = Long.parseUnsignedLong(o.operands().get(0));
            } catch (NumberFormatException e) {
                throw new KernelException(
                        Errno.EINVAL, "invalid taint value '" + o.operands().get(0) + "'");
            }
        }
        return String.join("\n", taint.chktaint(mask));
    }

    static TaintFlag flag(String name) {
        if (name.length() == 1) {
            TaintFlag f = TaintFlag.ofLetter(name.charAt(0));
            if (f != null) {
                return f;
            }
        }
        String n = name.toUpperCase(Locale.ROOT);
        for (TaintFlag f : TaintFlag.values()) {
            if (f.name().equals(n) || f.kernelName().equals(n)) {
                return f;
            }
        }
        throw new KernelException(Errno.EINVAL, "unknown taint flag '" + name + "'");
    }

    static String strip(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
