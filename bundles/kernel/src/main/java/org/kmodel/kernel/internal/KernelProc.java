package org.kmodel.kernel.internal;

import java.util.Locale;
import org.kmodel.kernel.BootParams;
import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;
import org.kmodel.kernel.KernelLog;
import org.kmodel.kernel.ReleaseProfile;
import org.kmodel.kernel.Taint;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The kernel core's own /proc files: fs/proc/version.c, fs/proc/cmdline.c, fs/proc/uptime.c and the
 * kern_table entries of kernel/sysctl.c ({@code kernel.tainted}, {@code osrelease}, {@code ostype},
 * {@code version}).
 */
@Component(
        service = {},
        immediate = true)
public class KernelProc {
    private final ProcEntries entries;

    @Activate
    public KernelProc(
            BundleContext context,
            @Reference Taint taint,
            @Reference ReleaseProfile profile,
            @Reference BootParams boot,
            @Reference KernelLog log) {
        entries = new ProcEntries(context)
                .readOnly("/proc/version", profile::procVersion)
                .readOnly("/proc/cmdline", () -> KernelFunctions.cmdline(boot))
                .readOnly("/proc/uptime", () -> uptime(log))
                .readOnly("/proc/sys/kernel/osrelease", profile::unameRelease)
                .readOnly("/proc/sys/kernel/ostype", () -> "Linux")
                .readOnly("/proc/sys/kernel/version", profile::unameVersion)
                .readWrite(
                        "/proc/sys/kernel/tainted",
                        () -> Long.toUnsignedString(taint.mask()),
                        text -> KernelFunctions.taint(taint, text));
    }

    @Deactivate
    void deactivate() {
        entries.close();
    }

    /** proc_taint() reads an unsigned long (proc_doulongvec_minmax); anything else is EINVAL. */
    static long parseTainted(String text) {
        String t = text.trim();
        try {
            if (t.isEmpty() || t.startsWith("-") || t.startsWith("+")) {
                throw new NumberFormatException(t);
            }
            return Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new KernelException(Errno.EINVAL, "kernel.tainted=" + t);
        }
    }

    private static String uptime(KernelLog log) {
        double s = log.nanosSinceBoot() / 1e9;
        return String.format(Locale.ROOT, "%.2f %.2f", s, s);
    }
}
