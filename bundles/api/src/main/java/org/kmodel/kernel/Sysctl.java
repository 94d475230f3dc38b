package org.kmodel.kernel;

import java.util.SortedMap;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Kernel parameters (kernel/sysctl.c, procps {@code sysctl}). A key {@code kernel.tainted} is the file
 * {@code /proc/sys/kernel/tainted}: every {@link ProcFile} service registered under {@code /proc/sys/} is a
 * sysctl, so a subsystem adds its own parameter by registering a ProcFile. The kernel core also keeps plain
 * values (hostname, printk, ...) in ConfigAdmin (PID {@value #PID}); boot parameters {@code sysctl.KEY=VALUE}
 * set them at boot.
 */
@ProviderType
public interface Sysctl {
    /** ConfigAdmin PID of the plain values the kernel core keeps. */
    String PID = "org.kmodel.kernel.sysctl";

    /**
     * The value of a key without the trailing newline. Keys may use dots or slashes.
     *
     * @throws KernelException ENOENT "cannot stat /proc/sys/KEY" for an unknown key
     */
    String read(String key);

    /**
     * Writes a value ({@code sysctl -w key=value}).
     *
     * @throws KernelException ENOENT for an unknown key, EACCES/EPERM for a read-only one, EINVAL for a bad
     *         value; nothing changes then
     */
    void write(String key, String value);

    /** Every readable key and its value, sorted by key ({@code sysctl -a}). */
    SortedMap<String, String> all();

    /** The /proc path of a key: {@code kernel.tainted} gives {@code /proc/sys/kernel/tainted}. */
    static String path(String key) {
        String k = key.trim();
        if (k.startsWith("/proc/sys/")) {
            return k;
        }
        return "/proc/sys/" + k.replace('.', '/');
    }

    /** The key of a /proc/sys path: {@code /proc/sys/kernel/tainted} gives {@code kernel.tainted}. */
    static String key(String path) {
        String p = path.startsWith("/proc/sys/") ? path.substring("/proc/sys/".length()) : path;
        return p.replace('/', '.');
    }
}
