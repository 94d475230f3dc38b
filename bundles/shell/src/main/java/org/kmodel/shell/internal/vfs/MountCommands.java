package org.kmodel.shell.internal.vfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.kmodel.kernel.KernelException;
import org.kmodel.shell.internal.Getopt;
import org.kmodel.shell.internal.Json;
import org.kmodel.vfs.MountInfo;
import org.kmodel.vfs.StatFs;
import org.kmodel.vfs.Vfs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** mount(8), umount(8), df(1), sync(1), swapon/swapoff(8) over kmodel's VFS. */
@Component(
        service = MountCommands.class,
        property = {
            "osgi.command.scope=vfs",
            "osgi.command.function=mount",
            "osgi.command.function=umount",
            "osgi.command.function=df",
            "osgi.command.function=sync",
            "osgi.command.function=swapon",
            "osgi.command.function=swapoff"
        })
public class MountCommands {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Vfs vfs;

    @Descriptor(
            "mount a filesystem (mount -t TYPE [-o OPTIONS] SOURCE DIR; -o ro: read-only; mount -o remount,ro|rw DIR); without arguments list the mounts; SOURCE of ext4/xfs is a host image file and of hostfs a host directory, on purpose; DIR is a model path")
    public MountList mount(@Descriptor("options, source and mount point") String... args) {
        Getopt o = Getopt.parse(args, "t:o:", "types=t", "options=o", "json=J")
                .need(0, 2, "mount -t TYPE [-o OPTS] SOURCE DIR");
        if (o.operands().isEmpty()) {
            if (o.value('o') != null) {
                // util-linux mount lists the mounts only without options (-t filters the list): options without a
                // source or a directory (mount -o remount,ro) are "bad usage", status 1, nothing changed
                throw new KernelException(org.kmodel.kernel.Errno.EINVAL, "bad usage");
            }
            // the records; the shell's converter (ShellConverter) prints them as mount(8) does, or as JSON
            return new MountList(
                    vfs.mounts().stream()
                            .filter(m -> o.value('t') == null || o.value('t').equals(m.fsType()))
                            .toList(),
                    o.has('J'));
        }
        String opts = o.value('o') == null ? "" : o.value('o');
        if (java.util.Arrays.asList(opts.split(",")).contains("remount")) {
            // mount -o remount,ro DIR: mount(2) with MS_REMOUNT; the source and the type are not needed
            String target = o.operands().get(o.operands().size() - 1);
            try {
                vfs.mount("none", target, o.value('t'), opts);
            } catch (KernelException e) {
                throw new KernelException(e.errno(), target + ": " + mountError(e.errno()));
            }
            return null;
        }
        o.need(2, 2, "mount -t TYPE [-o OPTS] SOURCE DIR");
        String type = o.value('t');
        if (type == null) {
            throw new KernelException(org.kmodel.kernel.Errno.EINVAL, "you must specify the filesystem type");
        }
        String source = o.operands().get(0);
        String target = o.operands().get(1);
        try {
            vfs.mount(source, target, type, opts);
        } catch (KernelException e) {
            throw new KernelException(
                    e.errno(),
                    target + ": "
                            + (e.errno() == org.kmodel.kernel.Errno.ENODEV
                                    ? "unknown filesystem type '" + type + "'"
                                    : "mount(2) system call failed"));
        }
        return null;
    }

    /** util-linux's words for a failed remount (libmount's mnt_context_get_mount_excode). */
    private static String mountError(org.kmodel.kernel.Errno errno) {
        return switch (errno) {
            case EBUSY -> "mount point is busy";
            case EINVAL -> "mount point not mounted or bad option";
            case ENOENT -> "mount point does not exist";
            default -> "mount(2) system call failed";
        };
    }

    @Descriptor("unmount a filesystem (umount DIR)")
    public String umount(@Descriptor("mount point") String target) {
        try {
            vfs.umount(target);
        } catch (KernelException e) {
            String why = e.errno() == org.kmodel.kernel.Errno.EBUSY ? "target is busy." : "umount failed";
            throw new KernelException(e.errno(), target + ": " + why);
        }
        return null;
    }

    @Descriptor("report filesystem space usage (df [-h] [PATH...])")
    public DfReport df(@Descriptor("options and paths") String... args) {
        Getopt o = Getopt.parse(args, "hia", "human-readable=h", "json=J");
        List<MountInfo> mounts = new ArrayList<>();
        if (o.operands().isEmpty()) {
            mounts.addAll(vfs.mounts());
        } else {
            for (String p : o.operands()) {
                mounts.add(mountOf(p));
            }
        }
        List<DfReport.Entry> entries = new ArrayList<>();
        for (MountInfo m : mounts) {
            entries.add(new DfReport.Entry(m, vfs.statfs(m.target())));
        }
        // the records; the shell's converter (ShellConverter) prints df's table (dfText), or JSON
        return new DfReport(entries, o.has('h'), o.has('a') || !o.operands().isEmpty(), o.has('J'));
    }

    /** mount(8)'s list: {@code SOURCE on TARGET type TYPE (OPTIONS)}; or the records as JSON. */
    public static String mountText(MountList list) {
        if (list.json()) {
            return Json.of(list.mounts());
        }
        StringBuilder sb = new StringBuilder();
        for (MountInfo m : list.mounts()) {
            sb.append(m.source())
                    .append(" on ")
                    .append(m.target())
                    .append(" type ")
                    .append(m.fsType())
                    .append(" (")
                    .append(m.options())
                    .append(")\n");
        }
        return Formats.strip(sb.toString());
    }

    /** df(1)'s table (coreutils' columns, {@code -h} sizes); or every entry as JSON. */
    public static String dfText(DfReport report) {
        if (report.json()) {
            List<Map<String, Object>> data = new ArrayList<>();
            for (DfReport.Entry e : report.entries()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("filesystem", e.mount().source());
                row.put("type", e.mount().fsType());
                row.put("mountpoint", e.mount().target());
                row.put("statfs", e.statfs());
                data.add(row);
            }
            return Json.of(data);
        }
        boolean h = report.human();
        List<String[]> rows = new ArrayList<>();
        rows.add(
                h
                        ? new String[] {"Filesystem", "Size", "Used", "Avail", "Use%", "Mounted on"}
                        : new String[] {"Filesystem", "1K-blocks", "Used", "Available", "Use%", "Mounted on"});
        for (DfReport.Entry e : report.entries()) {
            MountInfo m = e.mount();
            StatFs s = e.statfs();
            if (s.blocks() == 0 && !report.all()) {
                continue; // df hides pseudo filesystems without blocks (proc, sysfs)
            }
            long total = s.blocks() * s.bsize();
            long used = (s.blocks() - s.bfree()) * s.bsize();
            long avail = s.bavail() * s.bsize();
            String pct = s.blocks() == 0 ? "-" : (long) Math.ceil(100.0 * used / Math.max(1, used + avail)) + "%";
            rows.add(
                    h
                            ? new String[] {m.source(), human(total), human(used), human(avail), pct, m.target()}
                            : new String[] {
                                m.source(),
                                Long.toString(total / 1024),
                                Long.toString(used / 1024),
                                Long.toString(avail / 1024),
                                pct,
                                m.target()
                            });
        }
        return Formats.strip(table(rows, h ? 5 : 0));
    }

    private static String human(long bytes) {
        return bytes == 0 ? "0" : Formats.human(bytes);
    }

    /** df's layout: the first column left-aligned (min 14), the numbers right-aligned, the mount point last. */
    static String table(List<String[]> rows, int minNumberWidth) {
        int[] w = new int[6];
        w[0] = 14;
        for (int i = 1; i < 4; i++) {
            w[i] = minNumberWidth; // df -h prints Size/Used/Avail at least 5 wide ("  24G")
        }
        for (String[] r : rows) {
            for (int i = 0; i < 5; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-" + w[0] + "s %" + w[1] + "s %" + w[2] + "s %" + w[3] + "s %" + w[4] + "s %s%n",
                    (Object[]) r));
        }
        return sb.toString();
    }

    private MountInfo mountOf(String path) {
        long dev = vfs.stat(path).dev();
        MountInfo found = null;
        for (MountInfo m : vfs.mounts()) {
            if (m.dev() == dev) {
                found = m;
            }
        }
        if (found == null) {
            throw new KernelException(org.kmodel.kernel.Errno.ENOENT, path);
        }
        return found;
    }

    @Descriptor("write back every dirty page of every filesystem")
    public String sync() {
        vfs.sync();
        return null;
    }

    @Descriptor("activate FILE as swap (fallocate on it then gives ETXTBSY)")
    public String swapon(@Descriptor("swap file") String file) {
        Getopt.noOptions(file);
        vfs.swapon(file);
        return null;
    }

    @Descriptor("deactivate swap on FILE")
    public String swapoff(@Descriptor("swap file") String file) {
        Getopt.noOptions(file);
        vfs.swapoff(file);
        return null;
    }
}
